"""The triage classifier's figures: prediction latency, retraining on 100,000 tickets.

Run in the bench process, without the database: the classifier is plain Python
(``routing.classifier``). The 100,000 "tickets" are the bootstrap corpus's requests drawn
again and again, each with a sixth of its words dropped and a number added (a street, a
date), so that no two are the same and the vocabulary grows as a commune's does.
"""

import random
import statistics
import time

from parvis.routing.classifier import Classifier
from parvis.routing.examples import BOOTSTRAP_CORPUS, Example, read_examples

HISTORY_SIZE = 100_000
PREDICTIONS = 500


def _history(examples: list[Example], size: int) -> list[Example]:
    chance = random.Random(20261202)
    history = []
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

    history = _history(examples, history_size)
    started = time.perf_counter()
    Classifier.train(history)
    history_seconds = time.perf_counter() - started
    return {
        "triage_predict_ms_p50": round(statistics.median(latencies), 2),
        "triage_predict_ms_p95": round(latencies[int(0.95 * len(latencies)) - 1], 2),
        "triage_train_corpus_seconds": round(corpus_seconds, 1),
        "triage_train_100k_seconds": round(history_seconds, 1),
        "triage_train_history_size": history_size,
    }
