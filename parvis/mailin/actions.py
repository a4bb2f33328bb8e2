"""A message received: stored as it arrived, then processed exactly once.

``mail_receive`` is the only thing a transport (SMTP endpoint, IMAP poller, ``mail ingest``)
does before it tells its peer the message is safe: one INSERT, committed. A second delivery
of the same message (same Message-ID, else same bytes) finds the first row and stores
nothing. ``mail_process`` then reads the message, decides (kind, thread, ticket) outside
any transaction, and applies the decision in one transaction under a lock on the message's
row, re-checking that no other process did it first: killed at any point, the message is
either still to process or done, never done twice.
"""

import datetime
import hashlib
import logging
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from contextlib import nullcontext
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.actions import (
    requester_email_confirm,
    requester_email_failing,
    requester_email_works,
)
from parvis.accounts.models import User
from parvis.accounts.selectors import system_actor
from parvis.core.models import Commune
from parvis.intake.pipeline import intake_submit
from parvis.mailin.kinds import Kind, Reading, read
from parvis.mailin.mailboxes import mailbox_for
from parvis.mailin.models import InboundHandling, InboundMessage, Mailbox
from parvis.mailin.parsing import ParsedMail, Part, header_block, parse
from parvis.mailin.quotes import visible_text
from parvis.mailin.threads import Match, Thread, find_bounced, find_ticket, goes_on
from parvis.notifications.actions import mail_mark_bounced
from parvis.tickets.actions import (
    ticket_add_citizen_message,
    ticket_add_note,
    ticket_record_bounce,
)
from parvis.tickets.files import CheckedFile, check_file
from parvis.tickets.models import Channel, Status, Ticket
from parvis.tickets.references import next_reference
from parvis.tickets.selectors import tickets_visible_to
from parvis.tickets.structures import IncomingRequest, RequesterData

logger = logging.getLogger(__name__)

Outcome = InboundMessage.Outcome
SUBJECT_FROM_TEXT_LENGTH = 80
# What was stored on arrival never changes: processing writes the rest, and neither reads
# nor writes the message's bytes again (a blob sent back to the database for nothing).
_AS_ARRIVED = frozenset({"id", "dedupe_key", "message_id", "sha256", "raw", "size", "source"})
_PROCESSING_FIELDS = [
    f.name for f in InboundMessage._meta.concrete_fields if f.name not in _AS_ARRIVED
]


def mail_receive(
    *, raw: bytes, source: str, recipient: str = "", mailbox: Mailbox | None = None
) -> tuple[InboundMessage, bool]:
    """Store a message as it arrived; ``(message, False)`` if it had been received already.

    ``mailbox`` is the mairie's address whose IMAP folder it was taken from, when it was."""
    sha256 = hashlib.sha256(raw).hexdigest()
    message_id = _message_id(raw)
    key = _dedupe_key(message_id, sha256)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                dedupe_key=key,
                message_id=message_id[:250],
                sha256=sha256,
                raw=raw,
                size=len(raw),
                source=source,
                recipient=recipient[:254],
                mailbox=mailbox,
            )
    except IntegrityError:
        return InboundMessage.objects.get(dedupe_key=key), False
    return inbound, True


def mail_receive_many(
    *,
    raws: list[bytes],
    source: str,
    recipient: str = "",
    headers: list[dict[str, str]] | None = None,
) -> list[tuple[InboundMessage, bool]]:
    """``mail_receive`` for a batch read from files: one transaction for all, committed
    before any is processed. ``(message, False)`` for one received before, or earlier in
    the batch (a second delivery). ``headers``: each message's ``header_block``, when the
    caller has read them already."""
    blocks = headers if headers is not None else [None] * len(raws)
    arrived = [
        (raw, hashlib.sha256(raw).hexdigest(), _message_id(raw, block))
        for raw, block in zip(raws, blocks, strict=True)
    ]
    keys = [_dedupe_key(message_id, sha256) for _raw, sha256, message_id in arrived]
    with transaction.atomic():
        before = set(
            InboundMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        rows: dict[str, InboundMessage] = {}
        for key, (raw, sha256, message_id) in zip(keys, arrived, strict=True):
            if key not in before and key not in rows:
                rows[key] = InboundMessage(
                    dedupe_key=key,
                    message_id=message_id[:250],
                    sha256=sha256,
                    raw=raw,
                    size=len(raw),
                    source=source,
                    recipient=recipient[:254],
                )
        # A key another process stores meanwhile is skipped here (the unique index); its
        # processing stays once (the row lock), only this batch's report may call it new.
        InboundMessage.objects.bulk_create(rows.values(), ignore_conflicts=True)
        stored = {m.dedupe_key: m for m in InboundMessage.objects.filter(dedupe_key__in=keys)}
    received: list[tuple[InboundMessage, bool]] = []
    for key in keys:
        inbound = stored[key]
        new = key in rows and inbound.sha256 == rows.pop(key).sha256
        received.append((inbound, new))
    return received


def dedupe_key(raw: bytes) -> str:
    """What makes two deliveries one message: its Message-ID, else the hash of its bytes."""
    return _dedupe_key(_message_id(raw), hashlib.sha256(raw).hexdigest())


def _dedupe_key(message_id: str, sha256: str) -> str:
    key = f"mid:{message_id}" if message_id else f"sha256:{sha256}"
    return key[:300]


def _message_id(raw: bytes, headers: dict[str, str] | None = None) -> str:
    """The Message-ID from the headers alone (the body is not parsed to store a message).

    What the e-mail package decodes, whitespace folded: the dedupe key of a message stored
    by an earlier version must stay the same. A plain value (ASCII, no encoded word) decodes
    to itself, so only the header block is read for it; any other value is decoded by the
    package, from the whole message as before."""
    try:
        value = (header_block(raw) if headers is None else headers).get("message-id")
    except (ValueError, TypeError, IndexError):
        value = ""
    if value is None:
        return ""
    if not value.isascii() or "=?" in value:
        try:
            decoded = BytesHeaderParser(policy=default_policy).parsebytes(raw)
            value = str(decoded.get("Message-ID") or "")
        except (ValueError, TypeError, IndexError):
            return ""
    return " ".join(value.split())


@dataclass
class Plan:
    """What processing a message will do, decided before the transaction that does it."""

    outcome: str
    mail: ParsedMail | None = None
    reading: Reading | None = None
    match: Match | None = None
    mailbox: Mailbox | None = None
    reference: str | None = None  # a new ticket's, drawn before its transaction (intake)
    reopen: bool = False  # an answer to a ticket closed within the commune's window
    # A message that joins or opens a ticket: its files checked and its visible text cut
    # here, before the transaction (SQLite's one writer waits for no re-encoding).
    files: list[CheckedFile] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    body: str = ""


def mail_process(
    inbound: InboundMessage, *, writing: Callable[[], ContextManager[object]] = nullcontext
) -> InboundMessage:
    """Process a received message once; a failure puts it in quarantine with its error.

    ``writing`` is entered around the transaction that applies the decision (``mail ingest
    --jobs``: its workers take turns on SQLite's one writer's lock)."""
    try:
        plan = _plan(bytes(inbound.raw), inbound.recipient)
    except Exception:  # an unreadable message is kept, visible, never lost
        logger.exception("inbound message %s could not be read", inbound.pk)
        return _quarantine(inbound, traceback.format_exc(limit=5))
    with writing():  # what fails here is no fault of the message's: not quarantined
        if plan.outcome == Outcome.CREATED:
            # Drawn before the transaction (ADR 0001), but a write all the same: on SQLite
            # it waits its turn with the others rather than in the busy handler's sleeps.
            plan.reference = next_reference()
        try:
            with transaction.atomic():
                # Only what processing may have changed is read again under the lock: the
                # rest is as it arrived (the bytes, the recipient, the moment).
                locked = (
                    InboundMessage.objects.select_for_update()
                    .filter(pk=inbound.pk)
                    .values_list("state", "attempts")
                    .get()
                )
                if locked[0] != InboundMessage.State.RECEIVED:  # another process got there first
                    return InboundMessage.objects.defer("raw").get(pk=inbound.pk)
                inbound.state, inbound.attempts = locked
                _apply(inbound, plan)
                return inbound
        except ValidationError as error:  # refused as a person would be (too many requests…)
            return _quarantine(inbound, " ".join(error.messages))
        except Exception:
            logger.exception("inbound message %s could not be processed", inbound.pk)
            return _quarantine(inbound, traceback.format_exc(limit=5))


def mail_process_pending(*, limit: int = 100) -> list[InboundMessage]:
    """Process what is still to process, oldest first (at start, after a crash)."""
    pending = InboundMessage.objects.filter(state=InboundMessage.State.RECEIVED).order_by("pk")
    return [mail_process(inbound) for inbound in pending[:limit]]


def _quarantine(inbound: InboundMessage, error: str) -> InboundMessage:
    with transaction.atomic():
        current = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if current.state != InboundMessage.State.RECEIVED:
            return current
        current.state = InboundMessage.State.QUARANTINED
        current.outcome = Outcome.QUARANTINED
        current.error = error
        current.attempts += 1
        current.processed_at = timezone.now()
        current.save(update_fields=_PROCESSING_FIELDS)
        return current


def _plan(raw: bytes, envelope_recipients: str) -> Plan:
    mail = parse(raw)
    reading = read(mail)
    mailbox = mailbox_for([*envelope_recipients.split(","), *mail.recipients])
    if reading.kind == Kind.SPAM:
        return Plan(Outcome.QUARANTINED, mail, reading, mailbox=mailbox)
    if reading.kind == Kind.LOOP:
        return Plan(Outcome.IGNORED, mail, reading, mailbox=mailbox)
    if reading.kind in (Kind.BOUNCE, Kind.DELAY):
        return Plan(Outcome.BOUNCE, mail, reading, find_bounced(reading), mailbox=mailbox)
    match = goes_on(find_ticket(mail))
    if reading.kind in (Kind.AUTO_REPLY, Kind.LIST):
        return Plan(Outcome.AUTO_REPLY, mail, reading, match, mailbox=mailbox)
    if match is not None and match.ticket.status != Status.CLOSED:
        plan = Plan(Outcome.APPENDED, mail, reading, match, mailbox=mailbox)
    elif match is not None and _within_reopen_window(match.ticket):
        plan = Plan(Outcome.APPENDED, mail, reading, match, mailbox=mailbox, reopen=True)
    else:
        plan = Plan(Outcome.CREATED, mail, reading, match, mailbox=mailbox)
    plan.files = _checked_files(mail.parts, plan.refused)
    plan.body = _body(mail, plan.files)
    return plan


def _within_reopen_window(ticket: Ticket) -> bool:
    """A closed ticket answered within ``Commune.mail_reopen_days`` of its closing."""
    closed_at = ticket.resolved_at or ticket.updated_at
    days = Commune.current().mail_reopen_days
    return timezone.now() - closed_at <= datetime.timedelta(days=days)


def _apply(inbound: InboundMessage, plan: Plan) -> None:
    mail = plan.mail
    assert mail is not None
    ticket = plan.match.ticket if plan.match else None
    message = None
    if plan.outcome == Outcome.AUTO_REPLY and ticket is not None:
        ticket_add_note(ticket=ticket, actor=system_actor(), body=_auto_reply_note(mail))
    elif plan.outcome == Outcome.BOUNCE:
        if plan.reading is not None and plan.reading.kind == Kind.BOUNCE:
            # The mail itself says "non remis" on its ticket page, a notice to agents too.
            mail_mark_bounced(message_ids=plan.reading.original_ids)
        if ticket is not None:
            _record_bounce(inbound, ticket, plan.reading)
    elif plan.outcome == Outcome.APPENDED and ticket is not None:
        message = ticket_add_citizen_message(
            ticket=ticket, body=plan.body, files=plan.files, reopen_closed=plan.reopen
        )
        if plan.match is not None and plan.match.by in (Thread.TOKEN, Thread.IN_REPLY_TO):
            # An answer to our mail, from the address it was sent to: its owner reads it.
            requester_email_confirm(requester_id=ticket.requester_id, email=mail.sender)
        requester_email_works(requester_id=ticket.requester_id, email=mail.sender)
    elif plan.outcome == Outcome.CREATED:
        submitted = intake_submit(
            incoming=_incoming(mail, plan, inbound, previous=ticket),
            actor=None,
            reference=plan.reference,
        )
        ticket, message = submitted.ticket, submitted.message
        if submitted.appended:  # the sender's open ticket on the same matter took it
            plan.outcome = Outcome.APPENDED
        if ticket.requester.failing_email:  # the row intake read in this transaction
            requester_email_works(requester_id=ticket.requester_id, email=mail.sender)
    inbound.state = (
        InboundMessage.State.QUARANTINED
        if plan.outcome == Outcome.QUARANTINED
        else InboundMessage.State.PROCESSED
    )
    inbound.outcome = plan.outcome
    inbound.ticket = ticket
    inbound.ticket_message = message
    inbound.mailbox = plan.mailbox or inbound.mailbox
    inbound.error = plan.reading.why if plan.reading and plan.outcome != Outcome.CREATED else ""
    inbound.refused_files = plan.refused
    inbound.attempts += 1
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=_PROCESSING_FIELDS)


def _record_bounce(inbound: InboundMessage, ticket: Ticket, reading: Reading | None) -> None:
    """A failure marks the requester's address and tells the agent; a delay is only kept."""
    if reading is None or reading.kind != Kind.BOUNCE:
        return
    ticket_record_bounce(
        ticket=ticket, inbound_id=inbound.pk, status=reading.status, permanent=True
    )
    failed = set(reading.failed_recipients) or {ticket.requester_email}
    for address in failed:
        requester_email_failing(requester_id=ticket.requester_id, email=address)


def _checked_files(parts: tuple[Part, ...], refused: list[str]) -> list[CheckedFile]:
    files: list[CheckedFile] = []
    for part in parts:
        try:
            files.append(check_file(name=part.name, data=part.data))
        except ValidationError:
            refused.append(part.name)
    return files


def _body(mail: ParsedMail, files: list[CheckedFile]) -> str:
    text = visible_text(mail.text)
    if text:
        return text
    return ", ".join(f.name for f in files) or mail.subject


def _incoming(
    mail: ParsedMail, plan: Plan, inbound: InboundMessage, previous: Ticket | None
) -> IncomingRequest:
    body, mailbox = plan.body, plan.mailbox
    subject = mail.subject or body.split("\n", 1)[0][:SUBJECT_FROM_TEXT_LENGTH]
    metadata = {"message_id": mail.message_id, "inbound_id": str(inbound.pk)}
    if previous is not None:
        metadata["previous_reference"] = previous.reference
    return IncomingRequest(
        channel=Channel.EMAIL,
        request_type=mailbox.request_type if mailbox else None,
        service=mailbox.service if mailbox else None,
        mailbox=mailbox.address if mailbox else "",
        requester=RequesterData(name=mail.sender_name or mail.sender, email=mail.sender),
        subject=subject[:200],
        description=body,
        files=plan.files,
        channel_metadata=metadata,
    )


def _auto_reply_note(mail: ParsedMail) -> str:
    # The note is what the robot said, as it said it; its kind is in the inbound row.
    return f"{mail.subject}\n\n{visible_text(mail.text)}".strip()


def inbound_retry(inbound: InboundMessage, *, actor: User) -> InboundMessage:
    """Process a quarantined message again (after the cause was fixed), recorded.

    The request is recorded with the state change, before the processing (which commits
    on its own, ADR 0020); its result is added once known. Not quarantined: nothing done.
    """
    with transaction.atomic():
        updated = InboundMessage.objects.filter(
            pk=inbound.pk, state=InboundMessage.State.QUARANTINED
        ).update(state=InboundMessage.State.RECEIVED, outcome="", error="")
        handling = (
            InboundHandling.objects.create(
                inbound_id=inbound.pk,
                action=InboundHandling.Action.RETRY,
                actor=actor,
                state=InboundMessage.State.RECEIVED,
            )
            if updated
            else None
        )
    inbound.refresh_from_db()
    if handling is None:
        return inbound
    after = mail_process(inbound)
    InboundHandling.objects.filter(pk=handling.pk).update(
        state=after.state, outcome=after.outcome, ticket_id=after.ticket_id
    )
    return after


def inbound_discard(inbound: InboundMessage, *, actor: User) -> InboundMessage:
    """Set a quarantined message aside for good (spam, junk); it stays stored. Recorded."""
    with transaction.atomic():
        current = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if current.state == InboundMessage.State.QUARANTINED:
            current.state = InboundMessage.State.DISCARDED
            current.save(update_fields=["state"])
            InboundHandling.objects.create(
                inbound=current,
                action=InboundHandling.Action.DISCARD,
                actor=actor,
                state=current.state,
                outcome=current.outcome,
            )
    inbound.refresh_from_db()
    return inbound


@transaction.atomic
def inbound_attach(*, inbound: InboundMessage, reference: str, actor: User) -> InboundMessage:
    """Put a quarantined message on the ticket an administrator names, as the citizen's message.

    What threading could not find (a reference mistyped, a reply from another address), a
    person decides: the cleaned text and the files that pass the portal's checks become a
    citizen message of that ticket (which reopens it if it was waiting or resolved), as if
    the mail had been threaded there. The ticket is looked up among those the administrator
    may open, so an unknown reference and another service's confidential ticket get the same
    answer. Raises ``ValidationError`` (in French) when the message is no longer in
    quarantine, or the ticket is unknown or closed.
    """
    current = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if current.state != InboundMessage.State.QUARANTINED:
        raise ValidationError(
            _("Ce message n'est plus en quarantaine : il a déjà été traité ou écarté.")
        )
    reference = reference.strip()
    ticket = tickets_visible_to(actor).filter(reference=reference).first()
    if ticket is None:
        raise ValidationError(
            _("Aucune demande %(reference)s parmi celles que vous pouvez ouvrir.")
            % {"reference": reference}
        )
    if ticket.status == Status.CLOSED:
        raise ValidationError(
            _(
                "La demande %(reference)s est clôturée : elle ne reçoit plus de message. "
                "Réessayez le traitement pour ouvrir une nouvelle demande."
            )
            % {"reference": reference}
        )
    mail = parse(bytes(current.raw))
    refused: list[str] = []
    files = _checked_files(mail.parts, refused)
    message = ticket_add_citizen_message(ticket=ticket, body=_body(mail, files), files=files)
    current.state = InboundMessage.State.PROCESSED
    current.outcome = Outcome.APPENDED
    current.ticket = ticket
    current.ticket_message = message
    current.error = ""
    current.refused_files = refused
    current.processed_at = timezone.now()
    current.save()
    InboundHandling.objects.create(
        inbound=current,
        action=InboundHandling.Action.ATTACH,
        actor=actor,
        state=current.state,
        outcome=current.outcome,
        ticket=ticket,
    )
    return current
