"""Reads of the received mail that a person sees: the quarantine, and a ticket's originals.

Received mail follows the visibility of its ticket (ADR 0015): a message that became part of a
ticket is read by those who may open that ticket. The quarantine — messages of no ticket —
is for administrators, except the mail written to an address of a confidential service (the
CCAS's), which only that service's members read.
"""

from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from django.core.paginator import Page, Paginator
from django.db.models import BinaryField, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from parvis.accounts.models import User
from parvis.mailin.html import safe_html
from parvis.mailin.models import InboundHandling, InboundMessage
from parvis.mailin.parsing import Part, parse
from parvis.mailin.quotes import visible_text
from parvis.privacy.actions import access_log_record
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Event, Ticket
from parvis.tickets.selectors import member_service_ids, tickets_visible_to

QUARANTINE_PAGE_SIZE = 25
# The list reads only the start of each message: its headers, never its attachments.
HEAD_BYTES = 32_768
CITIZEN_KINDS = (Event.Kind.CITIZEN_MESSAGE, Event.Kind.FOLLOW_UP)
ERROR_SUMMARY_LENGTH = 160


def inbound_visible_to(user: User) -> QuerySet[InboundMessage]:
    """Received messages this user may read: staff only, each as its ticket says."""
    if not (user.is_active and (user.is_staff or user.is_superuser)):
        return InboundMessage.objects.none()
    hidden_service = Q(mailbox__service__is_confidential=True) & ~Q(
        mailbox__service_id__in=member_service_ids(user)
    )
    return InboundMessage.objects.filter(
        (Q(ticket__isnull=True) & ~hidden_service) | Q(ticket__in=tickets_visible_to(user))
    )


@dataclass(frozen=True)
class QuarantineRow:
    """A line of the quarantine: what an administrator needs to pick the message."""

    pk: int
    received_at: datetime
    recipient: str
    sender: str
    subject: str
    error: str


def quarantine_page(user: User, page_number: str | int) -> Page[QuarantineRow]:
    """One page of the quarantined messages, newest first: two queries whatever the page size.

    Sender and subject come from the first bytes of each message (its headers), read by the
    database, so that a page never loads the attachments of 25 mails.
    """
    messages = (
        inbound_visible_to(user)
        .filter(state=InboundMessage.State.QUARANTINED)
        .order_by("-received_at", "-pk")
        .annotate(head=Substr("raw", 1, HEAD_BYTES, output_field=BinaryField()))
        .values_list("pk", "received_at", "recipient", "error", "head")
    )
    page = Paginator(messages, QUARANTINE_PAGE_SIZE).get_page(page_number)
    rows = [_row(*values) for values in page.object_list]
    return Page(rows, page.number, page.paginator)  # type: ignore[arg-type]


def _row(
    pk: int, received_at: datetime, recipient: str, error: str, head: bytes | memoryview
) -> QuarantineRow:
    headers = BytesHeaderParser(policy=default_policy).parsebytes(bytes(head))
    return QuarantineRow(
        pk=pk,
        received_at=received_at,
        recipient=recipient or _header(headers, "To"),
        sender=_header(headers, "From"),
        subject=_header(headers, "Subject"),
        error=error_summary(error),
    )


def _header(headers: object, name: str) -> str:
    try:
        value = headers.get(name)  # type: ignore[attr-defined]
    except (ValueError, IndexError, TypeError):  # a header the parser chokes on
        return ""
    return " ".join(str(value or "").split())


def error_summary(error: str) -> str:
    """The last line of an error (a traceback's exception), short enough for a list."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if len(last) > ERROR_SUMMARY_LENGTH:
        return last[: ERROR_SUMMARY_LENGTH - 1] + "…"
    return last


def quarantined_message(user: User, inbound_id: int) -> InboundMessage:
    """A received message this administrator may read, with its history (else 404).

    One that became part of a confidential ticket is a read of that ticket: logged.
    """
    handlings = InboundHandling.objects.select_related("actor", "ticket").order_by(
        "created_at", "pk"
    )
    try:
        inbound = (
            inbound_visible_to(user)
            .select_related("ticket", "mailbox")
            .prefetch_related(Prefetch("handlings", queryset=handlings))
            .get(pk=inbound_id)
        )
    except InboundMessage.DoesNotExist:
        raise Http404 from None
    if inbound.ticket is not None and inbound.ticket.is_confidential:
        access_log_record(user=user, ticket_ids=[inbound.ticket.pk], context=AccessContext.ADMIN)
    return inbound


@dataclass(frozen=True)
class TicketOriginals:
    """Which of a ticket's texts came by email, and the received message each came from."""

    opening: int | None  # the mail that opened the ticket
    by_message: dict[int, int]  # ticket message id → received message id


def ticket_originals(events: list[Event]) -> TicketOriginals:
    """The received mails behind a ticket's description and its citizen messages.

    From its timeline (``ticket_timeline``): the opening mail is named in the ``created``
    event; the mails behind citizen messages take one query, made only when there are such
    messages, whatever their number.
    """
    opening = None
    message_ids = []
    for event in events:
        if event.kind == Event.Kind.CREATED:
            value = str((event.data.get("metadata") or {}).get("inbound_id") or "")
            opening = int(value) if value.isdigit() else None
        elif event.message_id and event.kind in CITIZEN_KINDS:
            message_ids.append(event.message_id)
    by_message: dict[int, int] = {}
    if message_ids:
        rows = InboundMessage.objects.filter(
            ticket_message_id__in=message_ids, state=InboundMessage.State.PROCESSED
        ).values_list("ticket_message_id", "pk")
        by_message = {message_id: pk for message_id, pk in rows if message_id is not None}
    return TicketOriginals(opening, by_message)


def ticket_original(ticket: Ticket, inbound_id: int) -> InboundMessage:
    """A received mail that became this ticket or one of its messages (else 404).

    The caller has checked (and logged) the agent's access to the ticket.
    """
    try:
        return (
            InboundMessage.objects.filter(
                Q(ticket=ticket, outcome=InboundMessage.Outcome.CREATED)
                | Q(ticket_message__ticket=ticket)
            )
            .filter(state=InboundMessage.State.PROCESSED)
            .get(pk=inbound_id)
        )
    except InboundMessage.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class OriginalMail:
    """A received message as its reader needs it: the main headers, both texts, its files."""

    sender: str
    to: str
    cc: str
    date: str
    subject: str
    message_id: str
    text: str  # everything written, quoted history and signature included
    cleaned: str  # what the ticket keeps
    parts: tuple[Part, ...]
    html: str = ""  # the HTML part sanitised (mailin.html.safe_html), "" if none


def original_mail(inbound: InboundMessage) -> OriginalMail:
    """The stored bytes read again (the raw message is the record, ADR 0020)."""
    mail = parse(bytes(inbound.raw))
    return OriginalMail(
        sender=mail.header("from"),
        to=mail.header("to"),
        cc=mail.header("cc"),
        date=mail.header("date"),
        subject=mail.subject,
        message_id=mail.message_id,
        text=mail.text,
        cleaned=visible_text(mail.text),
        parts=mail.parts,
        html=safe_html(mail.html),
    )
