"""How many requests the knowledge base avoided: the counts of ``Deflection`` facts.

Counted per form (a session): a form where the same article was suggested ten times while
the citizen typed counts once. « Avoided » is a form where the citizen said an article
answered their question and that was not sent afterwards.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from parvis.knowledge.models import Deflection

GROUPS = {
    "article": ("article_id", "article__title"),
    "demarche": ("request_type_id", "request_type__name"),
}


@dataclass(frozen=True)
class DeflectionCount:
    """One line of counts: the whole period, one démarche or one article."""

    key: int | None
    label: str
    shown: int
    opened: int
    answered: int

    @property
    def answer_rate(self) -> int:
        """Forms avoided per hundred forms that showed suggestions."""
        return round(100 * self.answered / self.shown) if self.shown else 0


def deflection_counts(
    *, since: datetime.date, until: datetime.date, by: str | None = None
) -> list[DeflectionCount]:
    """Counts between two days (both included), in total (``by=None``) or per ``"demarche"``
    or ``"article"``, the most shown first (one query)."""
    submitted = Deflection.objects.filter(
        session=OuterRef("session"), kind=Deflection.Kind.SUBMITTED
    )
    rows = Deflection.objects.filter(occurred_on__gte=since, occurred_on__lte=until).exclude(
        kind=Deflection.Kind.SUBMITTED
    )
    counts = {
        "shown": Count("session", filter=Q(kind=Deflection.Kind.SHOWN), distinct=True),
        "opened": Count("session", filter=Q(kind=Deflection.Kind.OPENED), distinct=True),
        "answered": Count(
            "session", filter=Q(kind=Deflection.Kind.ANSWERED, was_submitted=False), distinct=True
        ),
    }
    rows = rows.annotate(was_submitted=Exists(submitted))
    if by is None:
        total = rows.aggregate(**counts)
        return [DeflectionCount(None, "", total["shown"], total["opened"], total["answered"])]
    key, label = GROUPS[by]
    grouped = rows.values(key, label).annotate(**counts).order_by("-shown", label)
    return [
        DeflectionCount(row[key], row[label] or "", row["shown"], row["opened"], row["answered"])
        for row in grouped
    ]
