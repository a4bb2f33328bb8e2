"""Every read of tickets that a person sees, with visibility applied.

Agents see the tickets of the services they belong to. Confidential tickets (CCAS, social
aid) are visible only to members of their service — administrators included — and every
reading of one is written to the access log: a ticket's page, its files, the lists that
show it (one entry per list), and every refused attempt to open one (ADR 0002, 0015).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import Membership, User
from parvis.catalog.models import Service
from parvis.core.errors import ExplainedNotFound
from parvis.privacy.actions import access_log_record
from parvis.privacy.models import AccessContext
from parvis.search.ticket_search import TicketSearch, ticket_search
from parvis.tickets.events import Audience, kinds_for
from parvis.tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Event,
    Message,
    Status,
    Ticket,
    TicketFollower,
)


def member_service_ids(user: User) -> list[int]:
    """The services this agent belongs to (memoised on the user object for the request)."""
    cached: list[int] | None = getattr(user, "_parvis_service_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk).values_list("service_id", flat=True)
        )
        user._parvis_service_ids = cached  # type: ignore[attr-defined]
    return cached


def member_service_ids_known(user: User, service_ids: Iterable[int]) -> None:
    """Give ``member_service_ids`` what a versioned cache holds already (the API's keys)."""
    user._parvis_service_ids = list(service_ids)  # type: ignore[attr-defined]


def services_for_agent(user: User) -> QuerySet[Service]:
    return Service.objects.filter(pk__in=member_service_ids(user))


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Tickets this agent may see."""
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    services = member_service_ids(user)
    if user.is_superuser:
        return Ticket.objects.filter(Q(is_confidential=False) | Q(service_id__in=services))
    return Ticket.objects.filter(service_id__in=services)


QUEUE_VIEWS = {
    "new": _("Nouvelles"),
    "unassigned": _("Non attribuées"),
    "mine": _("Mes demandes"),
    "waiting": _("En attente de l'usager"),
    "open": _("Ouvertes"),
    "all": _("Toutes"),
}
SORTS: dict[str, str | OrderBy] = {
    "recent": "-created_at",
    "oldest": "created_at",
    "updated": "-updated_at",
    "priority": "-priority",
    "reference": "reference",
    # The next deadline first (``parvis.sla``'s ``TicketDeadline``); nothing due: at the end.
    "due": F("deadline__due_at").asc(nulls_last=True),
}
# The sorts that an index keeps: a search finding many tickets walks it (ticket_search).
INDEXED_SORTS = ("recent", "oldest", "updated", "reference")
# The deadline filters: "due soon" (warned, not yet overdue) and "overdue" (open tickets).
DUE_FILTERS = ("soon", "overdue")


@dataclass
class QueueFilters:
    view: str = "open"
    service: int | None = None
    status: str = ""
    priority: int | None = None
    request_type: int | None = None
    query: str = ""
    sort: str = "recent"
    due: str = ""

    @property
    def is_whole_tab(self) -> bool:
        """No filter narrows the tab: its count is the tab's count."""
        return not (
            self.service
            or self.status
            or self.priority
            or self.request_type
            or self.query
            or self.due
        )


def queue_tickets(user: User, filters: QueueFilters) -> QuerySet[Ticket]:
    """The tickets of a queue tab, filtered and sorted, ready for the list page."""
    return _queue_search(user, filters).tickets


def _queue_search(user: User, filters: QueueFilters) -> TicketSearch:
    tickets = tickets_visible_to(user)
    view = filters.view
    if view == "new":
        tickets = tickets.filter(status=Status.NEW)
    elif view == "unassigned":
        tickets = tickets.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
    elif view == "mine":
        tickets = tickets.filter(assignee=user, status__in=OPEN_STATUSES)
    elif view == "waiting":
        tickets = tickets.filter(status=Status.WAITING)
    elif view == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    if filters.service:
        tickets = tickets.filter(service_id=filters.service)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.request_type:
        tickets = tickets.filter(request_type_id=filters.request_type)
    if filters.due:
        now = timezone.now()
        if filters.due == "overdue":
            tickets = tickets.filter(status__in=OPEN_STATUSES, deadline__due_at__lte=now)
        else:
            tickets = tickets.filter(
                status__in=OPEN_STATUSES, deadline__warn_at__lte=now, deadline__due_at__gt=now
            )
    # Full text (parvis/search/ticket_search.py): narrows what the agent may see, never widens.
    sort = filters.sort if filters.sort in SORTS else "recent"
    found = ticket_search(tickets, filters.query, indexed_order=sort in INDEXED_SORTS)
    tickets = (
        found.tickets.select_related("service", "assignee", "request_type", "deadline")
        .defer(*_NOT_IN_LISTS)
        .order_by(SORTS[sort], "-pk")
    )
    return replace(found, tickets=tickets)


# Long texts that no list shows: neither read nor decoded for 50 rows per page.
_NOT_IN_LISTS = [
    "description",
    "search_vector",
    "field_values",
    "service__description",
    "request_type__description",
    "request_type__keywords",
]


QUEUE_COUNT_LIMIT = 1000


class QueuePaginator(Paginator[Ticket]):
    """Counts at most ``QUEUE_COUNT_LIMIT`` tickets; beyond, ``is_capped`` ("more than 1,000").

    Counting a view of the whole history visited each of its 100,000 tickets on every page
    view (docs/benchmarks.md); nobody pages through twenty pages: they search or filter.
    """

    is_capped = False
    counted: int | None = None  # already counted (by the search), at least up to the limit

    @cached_property
    def count(self) -> int:
        counted = self.counted
        if counted is None:
            tickets = self.object_list
            assert isinstance(tickets, QuerySet)
            # Unordered: which thousand are counted does not matter, and the date order would
            # have PostgreSQL walk the date index rather than a search's indexes.
            counted = tickets.order_by()[: QUEUE_COUNT_LIMIT + 1].count()
        self.is_capped = counted > QUEUE_COUNT_LIMIT
        return min(counted, QUEUE_COUNT_LIMIT)


def queue_page(
    user: User,
    filters: QueueFilters,
    page_number: str | int,
    per_page: int = 50,
    *,
    counts: dict[str, int] | None = None,
) -> Page[Ticket]:
    """One page of a queue. Given the tab counts, an unfiltered tab is not counted twice.

    Otherwise at most ``QUEUE_COUNT_LIMIT`` tickets are counted (see ``QueuePaginator``).
    """
    found = _queue_search(user, filters)
    paginator = QueuePaginator(found.tickets, per_page)
    paginator.counted = found.count  # a search counts its matches (ticket_search)
    if counts is not None and filters.is_whole_tab and filters.view in counts:
        paginator.count = counts[filters.view]  # count is a cached_property: preset it
    page = paginator.get_page(page_number)
    page.object_list = tickets_shown(user, page.object_list, context=AccessContext.QUEUE)
    return page


def tickets_shown[T: Ticket](
    user: User, tickets: Iterable[T], *, context: AccessContext
) -> list[T]:
    """The tickets of a list about to be shown; its confidential ones logged in one entry."""
    shown = list(tickets)
    access_log_record(
        user=user, ticket_ids=[t.pk for t in shown if t.is_confidential], context=context
    )
    return shown


def queue_counts(user: User) -> dict[str, int]:
    """How many tickets each working tab holds, in one query ("all" is not counted).

    The open tabs are counted among open tickets only, from ``ticket_open_recent_idx``
    alone (hence counting ``status``, a column of that index, rather than the primary key):
    one pass over the whole history took most of the queue page's time at 100,000 tickets.
    Counting "all" — the whole history — cost as much again on every page view; it is
    counted only when that tab is open, by its paginator (docs/benchmarks.md).
    """
    counts: dict[str, int] = (
        tickets_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            new=Count("status", filter=Q(status=Status.NEW)),
            unassigned=Count("status", filter=Q(assignee__isnull=True)),
            mine=Count("status", filter=Q(assignee=user)),
            waiting=Count("status", filter=Q(status=Status.WAITING)),
            open=Count("status"),
        )
    )
    return counts


def ticket_for_agent(
    user: User, reference: str, *, context: AccessContext = AccessContext.TICKET_PAGE
) -> Ticket:
    """The ticket if this agent may see it (else 404); a confidential read is logged.

    So is a refused attempt on a confidential ticket (one more query, on the 404 only).
    """
    try:
        ticket = (
            tickets_visible_to(user)
            .select_related("service", "requester", "assignee", "request_type", "deadline")
            .get(reference=reference)
        )
    except Ticket.DoesNotExist:
        _log_refusal(user, Ticket.objects.filter(reference=reference), context)
        raise ticket_refusal(user, reference) from None
    if ticket.is_confidential:
        access_log_record(user=user, ticket_ids=[ticket.pk], context=context)
    return ticket


def ticket_refusal(user: User, reference: str) -> Http404:
    """The 404 for a ticket this agent may not open: it says where the ticket went only to an
    agent who knew it.

    Threat model. References are sequential (2026-00042): anyone with an agent's account can
    try them all. A refusal must therefore not tell whether a ticket exists, which service
    holds it, or anything of its content — the plain 404 is the same for "no such ticket"
    and "not yours". An agent who knew the ticket — who acted on it (any event of theirs:
    reply, note, assignment, transfer…), or in whose service it was (a transfer out of one
    of their services) — learns only what they knew already, plus the name of the service
    holding it now, so that they stop looking for it: "transférée au service X". Not even
    that name when the ticket is confidential now: "transférée au CCAS" tells a social-aid
    request of a person the agent knows; they read "un autre service". Nothing of the
    ticket itself is shown. The check costs one query, on the refusal path only.
    """
    ticket = Ticket.objects.select_related("service").filter(reference=reference).first()
    if ticket is None or not user.is_authenticated:
        return Http404()
    knew_it = ticket.events.filter(
        Q(actor_id=user.pk)
        | Q(kind=Event.Kind.TRANSFERRED, data__from_service_id__in=member_service_ids(user))
    ).exists()
    if not knew_it:
        return Http404()
    if ticket.is_confidential:
        return ExplainedNotFound(
            gettext("Cette demande a été transférée à un autre service : vous n'y avez plus accès.")
        )
    return ExplainedNotFound(
        gettext("Cette demande a été transférée au service %(service)s : vous n'y avez plus accès.")
        % {"service": ticket.service.name}
    )


def _log_refusal(user: User, tickets: QuerySet[Ticket], context: AccessContext) -> None:
    """Log the attempt if it was on a confidential ticket (a reference that exists)."""
    confidential = tickets.filter(is_confidential=True).values_list("pk", flat=True)
    access_log_record(user=user, ticket_ids=list(confidential), context=context, granted=False)


def tickets_open_for_follow_up(user: User) -> QuerySet[Ticket]:
    """Open tickets on which this agent may record that the citizen asked again.

    The front desk takes calls about every service's requests: besides the tickets they
    see, agents may record a follow-up on any open ticket that is not confidential. Each
    ticket is annotated with ``visible_to_agent`` (whether they may open it).
    """
    return _follow_up_scope(user).filter(status__in=OPEN_STATUSES)


def _follow_up_scope(user: User) -> QuerySet[Ticket]:
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    visible = tickets_visible_to(user).filter(pk=OuterRef("pk"))
    return Ticket.objects.filter(
        Q(is_confidential=False) | Q(service_id__in=member_service_ids(user))
    ).annotate(visible_to_agent=Exists(visible))


def ticket_for_follow_up(user: User, reference: str) -> Ticket:
    """A ticket on which this agent may record a follow-up (else 404); closed ones refuse it."""
    try:
        return _follow_up_scope(user).select_related("service").get(reference=reference)
    except Ticket.DoesNotExist:
        raise Http404 from None


def ticket_event(ticket: Ticket, event_id: int) -> Event:
    """One event of this ticket (else 404)."""
    try:
        return ticket.events.get(pk=event_id)
    except Event.DoesNotExist:
        raise Http404 from None


def ticket_timeline(ticket: Ticket, *, public_only: bool) -> list[Event]:
    """The events of a ticket with their messages and files, oldest first."""
    events = ticket.events.select_related("actor", "message", "message__author").prefetch_related(
        Prefetch("message__attachments", queryset=_attachments(public_only))
    )
    if public_only:
        events = events.filter(kind__in=kinds_for(Audience.CITIZEN))
    return list(events.order_by("created_at", "pk"))


def _attachments(public_only: bool) -> QuerySet[Attachment]:
    attachments = Attachment.objects.order_by("pk")
    return attachments.filter(is_public=True) if public_only else attachments


def ticket_reply_message(ticket: Ticket, message_id: int) -> Message:
    """A reply of this ticket (else 404): what an agent may print as a letter."""
    try:
        return ticket.messages.get(pk=message_id, kind=Message.Kind.REPLY)
    except Message.DoesNotExist:
        raise Http404 from None


def ticket_form_attachments(ticket: Ticket) -> list[Attachment]:
    """Files sent with the request itself (not with a later message)."""
    return list(ticket.attachments.filter(message__isnull=True).order_by("pk"))


def ticket_by_tracking_token(token: str, viewer: User | AnonymousUser) -> Ticket:
    """The ticket behind a citizen's secret tracking link (else 404).

    The link is the citizen's key. A logged-in agent who follows it to a confidential
    ticket is an agent reading it: allowed and logged if they may open it in the back
    office, else refused (404) and logged.
    """
    try:
        ticket = Ticket.objects.select_related("service", "request_type", "requester").get(
            tracking_token=token
        )
    except Ticket.DoesNotExist:
        raise Http404 from None
    _check_agent_on_tracking_link(viewer, ticket)
    return ticket


def _check_agent_on_tracking_link(viewer: User | AnonymousUser, ticket: Ticket) -> None:
    if not (ticket.is_confidential and isinstance(viewer, User)):
        return
    granted = tickets_visible_to(viewer).filter(pk=ticket.pk).exists()
    access_log_record(
        user=viewer, ticket_ids=[ticket.pk], context=AccessContext.TRACKING_PAGE, granted=granted
    )
    if not granted:
        raise Http404


def ticket_by_reference_and_email(reference: str, email: str) -> Ticket | None:
    """The ticket whose reference and requester email both match, if any."""
    return (
        Ticket.objects.select_related("requester")
        .filter(reference=reference.strip().upper(), requester_email=email.strip().lower())
        .first()
    )


def agent_attachment(user: User, attachment_id: int) -> Attachment:
    """An attachment of a ticket this agent may see (else 404); confidential ones logged."""
    context = AccessContext.ATTACHMENT
    try:
        attachment = Attachment.objects.select_related("ticket").get(
            pk=attachment_id, ticket__in=tickets_visible_to(user)
        )
    except Attachment.DoesNotExist:
        _log_refusal(user, Ticket.objects.filter(attachments=attachment_id), context)
        raise Http404 from None
    if attachment.ticket.is_confidential:
        access_log_record(user=user, ticket_ids=[attachment.ticket_id], context=context)
    return attachment


def public_attachment(token: str, attachment_id: int, viewer: User | AnonymousUser) -> Attachment:
    """A public attachment of the ticket behind this tracking link (else 404).

    An agent following the link is checked and logged as on the tracking page.
    """
    try:
        attachment = Attachment.objects.select_related("ticket").get(
            pk=attachment_id, is_public=True, ticket__tracking_token=token
        )
    except Attachment.DoesNotExist:
        raise Http404 from None
    _check_agent_on_tracking_link(viewer, attachment.ticket)
    return attachment


def message_for_email(message_id: int) -> Message:
    return Message.objects.select_related("ticket", "ticket__requester").get(pk=message_id)


def followers_to_notify(ticket: Ticket, *, until: datetime.datetime) -> list[TicketFollower]:
    """The followers of a ticket with an address, who followed it by ``until`` (the time of
    the update to tell them), oldest first, with what their mail shows."""
    return list(
        TicketFollower.objects.filter(ticket=ticket, created_at__lte=until)
        .exclude(email="")
        .select_related("requester", "source_ticket")
        .order_by("created_at", "pk")
    )


def ticket_followers(ticket: Ticket) -> list[TicketFollower]:
    """Who follows a ticket, for its page in the back office (a ticket read through
    ``ticket_for_agent``)."""
    return list(
        ticket.followers.select_related("requester", "source_ticket").order_by("created_at", "pk")
    )
