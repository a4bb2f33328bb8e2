"""Reads of satisfaction surveys: the survey behind a citizen's link, and the results.

Results are counts and averages per service and per démarche, for the services a person may
see: an administrator every service, an agent their own. Comments are the citizens' own
words about a ticket: only members of its service read them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from parvis.accounts.models import User
from parvis.satisfaction.links import is_survey_signature
from parvis.satisfaction.models import RATINGS, Survey
from parvis.tickets.selectors import member_service_ids

COMMENTS_SHOWN = 20


def survey_for_link(*, ticket_id: int, signature: str) -> Survey:
    """The survey a rating link names; 404 for a wrong signature or a ticket never invited
    (the same answer for both: a guessed link learns nothing)."""
    if not is_survey_signature(ticket_id, signature):
        raise Http404
    survey = Survey.objects.select_related("ticket", "service").filter(ticket_id=ticket_id).first()
    if survey is None:
        raise Http404
    return survey


@dataclass(frozen=True)
class ResultRow:
    """One line of the results: a service, or a démarche of it."""

    service: str
    demarche: str  # "" on a service's line, or for its tickets without a démarche
    invited: int
    answered: int
    average: float | None
    counts: tuple[int, ...]  # answers rated 1, 2, 3, 4, 5

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def _visible(user: User, since: datetime.datetime | None) -> QuerySet[Survey]:
    surveys = Survey.objects.all()
    if not (user.is_staff or user.is_superuser):
        surveys = surveys.filter(service_id__in=member_service_ids(user))
    if since is not None:
        surveys = surveys.filter(invited_at__gte=since)
    return surveys


def _rows(surveys: QuerySet[Survey], *group: str) -> list[ResultRow]:
    """``group``: the service's id and name, and possibly the démarche's."""
    by_rating = {f"r{r}": Count("pk", filter=Q(rating=r)) for r in RATINGS}
    rows = (
        surveys.values(*group)
        .annotate(
            invited=Count("pk"), answered=Count("answered_at"), average=Avg("rating"), **by_rating
        )
        .order_by(*group)
    )
    return [
        ResultRow(
            service=row["service__name"],
            demarche=row.get("request_type__name") or "",
            invited=row["invited"],
            answered=row["answered"],
            average=round(row["average"], 2) if row["average"] is not None else None,
            counts=tuple(row[f"r{r}"] for r in RATINGS),
        )
        for row in rows
    ]


def satisfaction_by_service(*, user: User, days: int | None) -> list[ResultRow]:
    """Per service the person may see, over the last ``days`` (None: since the start)."""
    since = timezone.now() - datetime.timedelta(days=days) if days else None
    return _rows(_visible(user, since), "service_id", "service__name")


def satisfaction_by_demarche(*, user: User, days: int | None) -> list[ResultRow]:
    """Per service and démarche (tickets without one are the service's "—" line)."""
    since = timezone.now() - datetime.timedelta(days=days) if days else None
    return _rows(
        _visible(user, since),
        "service_id",
        "service__name",
        "request_type_id",
        "request_type__name",
    )


def recent_comments(*, user: User, days: int | None) -> list[Survey]:
    """The latest comments on tickets of the person's own services."""
    since = timezone.now() - datetime.timedelta(days=days) if days else None
    surveys = Survey.objects.filter(service_id__in=member_service_ids(user)).exclude(comment="")
    if since is not None:
        surveys = surveys.filter(invited_at__gte=since)
    return list(
        surveys.select_related("ticket", "service").order_by("-answered_at")[:COMMENTS_SHOWN]
    )
