"""Reads of the sla app: a service's calendar, a ticket's targets, deadlines as shown."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import CALENDAR, CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.sla.deadlines import Target
from parvis.sla.models import CalendarSettings, Closure, OpeningPeriod, TicketDeadline
from parvis.sla.worktime import DEFAULT_WEEK, Period, WorkCalendar
from parvis.tickets.models import OPEN_STATUSES, Ticket


def calendar_settings() -> CalendarSettings:
    """The commune's calendar settings; their defaults (unsaved) until an administrator
    saves them: a read never writes. A new instance each call, from the process's copy."""
    row = memo(CALENDAR, "settings", _settings_row)
    return row.instance() if row is not None else CalendarSettings(pk=1)


def _settings_row() -> Row[CalendarSettings] | None:
    stored = CalendarSettings.objects.filter(pk=1).first()
    return Row.of(stored) if stored is not None else None


def commune_zone() -> ZoneInfo:
    zone = timezone.get_default_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone))


def work_calendar(
    service_id: int | None, *, settings: CalendarSettings | None = None
) -> WorkCalendar:
    """The calendar of a service: its opening periods (else the commune's, else the default),
    public holidays (with Alsace-Moselle's if set), and the closures of it or of the mairie.

    Kept by the process until a calendar changes (``cache_versions.CALENDAR``): every
    deadline computed reads one, and they change a few times a year.
    """
    alsace_moselle = (settings or calendar_settings()).alsace_moselle
    return memo(
        CALENDAR,
        f"work:{service_id}:{alsace_moselle}",
        lambda: _work_calendar(service_id, alsace_moselle=alsace_moselle),
    )


def _work_calendar(service_id: int | None, *, alsace_moselle: bool) -> WorkCalendar:
    periods = list(
        OpeningPeriod.objects.filter(Q(service_id=service_id) | Q(service__isnull=True))
        .order_by("opens")
        .values_list("service_id", "weekday", "opens", "closes")
    )
    own = [p for p in periods if p[0] is not None]
    chosen = own or [p for p in periods if p[0] is None]
    week: dict[int, tuple[Period, ...]]
    if chosen:
        grouped: dict[int, list[Period]] = defaultdict(list)
        for _service, weekday, opens, closes in chosen:
            grouped[weekday].append((opens, closes))
        week = {weekday: tuple(items) for weekday, items in grouped.items()}
    else:
        week = dict(DEFAULT_WEEK)
    closures = frozenset(
        Closure.objects.filter(Q(service_id=service_id) | Q(service__isnull=True)).values_list(
            "day", flat=True
        )
    )
    # Shared by the process's threads: nothing in it can be changed.
    return WorkCalendar(
        zone=commune_zone(),
        week=MappingProxyType(week),
        closures=closures,
        alsace_moselle=alsace_moselle,
    )


@dataclass(frozen=True)
class Targets:
    """The targets that apply to a ticket, and its démarche's legal deadline code."""

    first_response: Target | None
    resolution: Target | None
    legal_deadline: str = ""


_TARGET_FIELDS = (
    "first_response_target",
    "first_response_unit",
    "resolution_target",
    "resolution_unit",
)


def targets_of(service_id: int, request_type_id: int | None) -> Targets:
    """``targets_for`` by ids, kept by the process until the catalogue changes (its version
    moves with every write to a service or a démarche): every deadline computed reads them."""
    return memo(
        CATALOGUE,
        f"sla-targets:{service_id}:{request_type_id}",
        lambda: _targets_load(service_id, request_type_id),
    )


def _targets_load(service_id: int, request_type_id: int | None) -> Targets:
    service = Service.objects.only(*_TARGET_FIELDS).get(pk=service_id)
    request_type = (
        RequestType.objects.only(*_TARGET_FIELDS, "legal_deadline").get(pk=request_type_id)
        if request_type_id is not None
        else None
    )
    return targets_for(service, request_type)


def targets_for(service: Service, request_type: RequestType | None) -> Targets:
    """The démarche's targets where it sets them, else its (current) service's."""

    def pick(name: str) -> Target | None:
        for source in (request_type, service):
            amount = getattr(source, f"{name}_target", None) if source is not None else None
            if amount:
                return Target(amount=amount, unit=getattr(source, f"{name}_unit"))
        return None

    return Targets(
        first_response=pick("first_response"),
        resolution=pick("resolution"),
        legal_deadline=request_type.legal_deadline if request_type else "",
    )


class DueState:
    """What the queue and the ticket page say of a deadline (codes; labels in templates)."""

    OVERDUE = "overdue"
    SOON = "soon"
    ON_TIME = "on_time"
    PAUSED = "paused"
    NONE = ""


def due_state_labels() -> dict[str, str]:
    """The badge of each state, in the active language (no badge for "on time")."""
    return {
        DueState.OVERDUE: gettext("en retard"),
        DueState.SOON: gettext("bientôt due"),
        DueState.PAUSED: gettext("en pause"),
    }


def deadline_of(ticket: Ticket) -> TicketDeadline | None:
    """The ticket's stored deadlines, read with it (``select_related("deadline")``), or None."""
    try:
        return ticket.deadline
    except TicketDeadline.DoesNotExist:
        return None


def due_state(deadline: TicketDeadline | None, now: datetime.datetime) -> str:
    if deadline is None:
        return DueState.NONE
    if deadline.due_at is None:
        return DueState.PAUSED if deadline.paused_left is not None else DueState.NONE
    if deadline.due_at <= now:
        return DueState.OVERDUE
    if deadline.warn_at is not None and deadline.warn_at <= now:
        return DueState.SOON
    return DueState.ON_TIME


def overdue_q(now: datetime.datetime) -> Q:
    """Tickets (open) whose next target is past due: a filter over ``Ticket``."""
    return Q(status__in=OPEN_STATUSES, deadline__due_at__lte=now)


def due_soon_q(now: datetime.datetime) -> Q:
    """Tickets (open) whose next target is due soon, not yet overdue."""
    return Q(status__in=OPEN_STATUSES, deadline__warn_at__lte=now, deadline__due_at__gt=now)


@dataclass(frozen=True)
class ServiceLateness:
    """One line of the director's overview: a service, its open, late and soon-due tickets."""

    service_id: int
    service_name: str
    open: int
    overdue: int
    due_soon: int


def lateness_by_service(tickets: QuerySet[Ticket]) -> list[ServiceLateness]:
    """Per service of these (visible) tickets: open, overdue, due soon — one query."""
    now = timezone.now()
    rows = (
        tickets.filter(status__in=OPEN_STATUSES)
        .values("service_id", "service__name", "service__position")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__due_at__lte=now)),
            due_soon=Count("pk", filter=Q(deadline__warn_at__lte=now, deadline__due_at__gt=now)),
        )
        .order_by("-overdue", "service__position", "service__name")
    )
    return [
        ServiceLateness(
            service_id=row["service_id"],
            service_name=row["service__name"],
            open=row["open"],
            overdue=row["overdue"],
            due_soon=row["due_soon"],
        )
        for row in rows
    ]
