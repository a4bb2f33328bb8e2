"""The triage classifier's figures: prediction latency, retraining on 100,000 tickets.

Run in the bench process, without the database: the classifier is plain Python
(``routing.classifier``), and the retraining measured is the job's (``routing.training.train``:
learn, fit the confidence and measure on the held-out fifth), given the history. The
100,000 "tickets" are the bootstrap corpus's requests drawn again and again, each with a
sixth of its words dropped and a number added (a street, a date), so that no two are the
same and the vocabulary grows as a commune's does.
"""

import os
import random
import statistics
import time

from parvis.routing.classifier import Classifier
from parvis.routing.examples import BOOTSTRAP_CORPUS, Example, read_examples

HISTORY_SIZE = 100_000
PREDICTIONS = 500


def _history(examples: list[Example], size: int) -> list[Example]:
    chance = random.Random(20261202)
    history: list[Example] = []
    while len(history) < size:
        example = chance.choice(examples)
        words = [w for w in example.text.split() if chance.random() > 1 / 6]
        text = f"{' '.join(words)} {chance.randint(1, 99_999)}"
        history.append(Example(text, example.service, example.request_type))
    return history


def measure(*, history_size: int = HISTORY_SIZE) -> dict[str, float]:
    examples = list(read_examples(BOOTSTRAP_CORPUS))
    started = time.perf_counter()
    classifier = Classifier.train(examples)
    corpus_seconds = time.perf_counter() - started

    texts = [e.text for e in examples]
    latencies = []
    for text in texts[:PREDICTIONS]:
        started = time.perf_counter()
        classifier.predict(text)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()

    # The retraining job's own work: learn on the corpus and four fifths of the history,
    # fit the confidence and measure on the last fifth (``routing.training.train``).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    import django

    django.setup()  # the training module names the ticket models (it reads no database here)
    from parvis.routing import training

    history = _history(examples, history_size)
    started = time.perf_counter()
    training.train(bootstrap=examples, history=history)
    history_seconds = time.perf_counter() - started
    return {
        "triage_predict_ms_p50": round(statistics.median(latencies), 2),
        "triage_predict_ms_p95": round(latencies[int(0.95 * len(latencies)) - 1], 2),
        "triage_train_corpus_seconds": round(corpus_seconds, 1),
        "triage_train_100k_seconds": round(history_seconds, 1),
        "triage_train_history_size": history_size,
    }
