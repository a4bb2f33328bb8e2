"""What the triage classifier learns from: the bootstrap corpus, then the commune's history.

A ticket of the commune teaches the classifier once an agent has vouched for its service: it
was transferred (the agent corrected the routing: the strongest label there is), or it was
handled to the end in its service (resolved or closed). Tickets filed under a démarche are
left out — the citizen chose the service, the text did not — except the general question,
whose text is free. Confidential tickets (the CCAS) are left out too: a model keeps words
and fragments of what it learnt from, and a person's social file must not end up in it.

The measure shown to administrators is taken on requests the model did not learn from: the
most recent fifth of the commune's labelled history once there are enough of them (the
model is judged on what comes next, as it will be used), else a fifth of the corpus set
aside at random.
"""

import random
import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from parvis.routing.classifier import Classifier, Report
from parvis.routing.examples import BOOTSTRAP_CORPUS, Example, read_examples
from parvis.tickets.models import Event, Status, Ticket

FREE_TEXT_REQUEST_TYPES = ("question-generale",)
HISTORY_FOR_MEASURE = 200  # below this many labelled tickets, measure on the corpus
HELD_OUT = 0.2
SEED = 20261202


def bootstrap_examples() -> list[Example]:
    return list(read_examples(BOOTSTRAP_CORPUS))


def history_examples() -> list[Example]:
    """The commune's tickets whose service an agent vouched for, oldest first."""
    transferred = Event.objects.filter(ticket=OuterRef("pk"), kind=Event.Kind.TRANSFERRED)
    rows = (
        Ticket.objects.filter(is_confidential=False)
        .filter(Q(request_type__isnull=True) | Q(request_type__slug__in=FREE_TEXT_REQUEST_TYPES))
        .filter(Q(Exists(transferred)) | Q(status__in=(Status.RESOLVED, Status.CLOSED)))
        .order_by("created_at", "pk")
        .values_list("subject", "description", "service__slug")
    )
    return [
        Example(text=f"{subject}\n{description}".strip(), service=service)
        for subject, description, service in rows.iterator(chunk_size=2000)
    ]


@dataclass(frozen=True)
class Training:
    classifier: Classifier
    report: Report
    bootstrap_count: int
    history_count: int
    on_history: bool
    seconds: float


def train(bootstrap: list[Example] | None = None, history: list[Example] | None = None) -> Training:
    """Train on the corpus and the history, and measure on what was set aside."""
    bootstrap = bootstrap_examples() if bootstrap is None else bootstrap
    history = history_examples() if history is None else history
    started = time.perf_counter()
    if len(history) >= HISTORY_FOR_MEASURE:
        cut = int(len(history) * (1 - HELD_OUT))
        learn, measure, on_history = bootstrap + history[:cut], history[cut:], True
    else:
        shuffled = list(bootstrap)
        random.Random(SEED).shuffle(shuffled)
        cut = int(len(shuffled) * (1 - HELD_OUT))
        learn, measure, on_history = shuffled[:cut] + history, shuffled[cut:], False
    classifier, report = Classifier.train_and_measure(learn, measure)
    return Training(
        classifier=classifier,
        report=report,
        bootstrap_count=len(bootstrap),
        history_count=len(history),
        on_history=on_history,
        seconds=time.perf_counter() - started,
    )
