"""A message received: stored as it arrived, then processed exactly once.

``mail_receive`` is the only thing a transport (SMTP endpoint, IMAP poller, ``mail ingest``)
does before it tells its peer the message is safe: one INSERT, committed. A second delivery
of the same message (same Message-ID, else same bytes) finds the first row and stores
nothing. ``mail_process`` then reads the message, decides (kind, thread, ticket) outside
any transaction, and applies the decision in one transaction under a lock on the message's
row, re-checking that no other process did it first: killed at any point, the message is
either still to process or done, never done twice.
"""

import hashlib
import logging
import traceback
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.accounts.actions import requester_email_confirm
from parvis.accounts.selectors import system_actor
from parvis.intake.pipeline import intake_submit
from parvis.mailin.kinds import Kind, Reading, read
from parvis.mailin.models import InboundMessage
from parvis.mailin.parsing import ParsedMail, Part, parse
from parvis.mailin.quotes import visible_text
from parvis.mailin.threads import Match, Thread, find_ticket
from parvis.tickets.actions import ticket_add_citizen_message, ticket_add_note
from parvis.tickets.files import CheckedFile, check_file
from parvis.tickets.models import Channel, Status
from parvis.tickets.references import next_reference
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


def mail_receive(*, raw: bytes, source: str, recipient: str = "") -> tuple[InboundMessage, bool]:
    """Store a message as it arrived; ``(message, False)`` if it had been received already."""
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
            )
    except IntegrityError:
        return InboundMessage.objects.get(dedupe_key=key), False
    return inbound, True


def mail_receive_many(
    *, raws: list[bytes], source: str, recipient: str = ""
) -> list[tuple[InboundMessage, bool]]:
    """``mail_receive`` for a batch read from files: one transaction for all, committed
    before any is processed. ``(message, False)`` for one received before, or earlier in
    the batch (a second delivery)."""
    arrived = [(raw, hashlib.sha256(raw).hexdigest(), _message_id(raw)) for raw in raws]
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


def _message_id(raw: bytes) -> str:
    """The Message-ID from the headers alone (the body is not parsed to store a message)."""
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
        value = str(headers.get("Message-ID") or "")
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
    reference: str | None = None  # drawn beforehand for a new ticket (intake.pipeline)
    refused: list[str] = field(default_factory=list)


def mail_process(inbound: InboundMessage) -> InboundMessage:
    """Process a received message once; a failure puts it in quarantine with its error."""
    try:
        plan = _plan(bytes(inbound.raw))
    except Exception:  # an unreadable message is kept, visible, never lost
        logger.exception("inbound message %s could not be read", inbound.pk)
        return _quarantine(inbound, traceback.format_exc(limit=5))
    try:
        with transaction.atomic():
            current = InboundMessage.objects.select_for_update().defer("raw").get(pk=inbound.pk)
            if current.state != InboundMessage.State.RECEIVED:
                return current  # another process got there first
            _apply(current, plan)
            return current
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


def _plan(raw: bytes) -> Plan:
    mail = parse(raw)
    reading = read(mail)
    if reading.kind == Kind.SPAM:
        return Plan(Outcome.QUARANTINED, mail, reading)
    if reading.kind == Kind.LOOP:
        return Plan(Outcome.IGNORED, mail, reading)
    match = find_ticket(mail)
    if reading.kind in (Kind.BOUNCE, Kind.DELAY):
        return Plan(Outcome.BOUNCE, mail, reading, match)
    if reading.kind in (Kind.AUTO_REPLY, Kind.LIST):
        return Plan(Outcome.AUTO_REPLY, mail, reading, match)
    if match is not None and match.ticket.status != Status.CLOSED:
        return Plan(Outcome.APPENDED, mail, reading, match)
    return Plan(Outcome.CREATED, mail, reading, match, reference=next_reference())


def _apply(inbound: InboundMessage, plan: Plan) -> None:
    mail = plan.mail
    assert mail is not None
    ticket = plan.match.ticket if plan.match else None
    message = None
    if plan.outcome == Outcome.AUTO_REPLY and ticket is not None:
        ticket_add_note(ticket=ticket, actor=system_actor(), body=_auto_reply_note(mail))
    elif plan.outcome == Outcome.APPENDED and ticket is not None:
        files = _checked_files(mail.parts, plan.refused)
        message = ticket_add_citizen_message(ticket=ticket, body=_body(mail, files), files=files)
        if plan.match is not None and plan.match.by in (Thread.TOKEN, Thread.IN_REPLY_TO):
            # An answer to our mail, from the address it was sent to: its owner reads it.
            requester_email_confirm(requester_id=ticket.requester_id, email=mail.sender)
    elif plan.outcome == Outcome.CREATED:
        files = _checked_files(mail.parts, plan.refused)
        ticket = intake_submit(
            incoming=_incoming(mail, files, inbound, previous=ticket),
            actor=None,
            reference=plan.reference,
        )
    inbound.state = (
        InboundMessage.State.QUARANTINED
        if plan.outcome == Outcome.QUARANTINED
        else InboundMessage.State.PROCESSED
    )
    inbound.outcome = plan.outcome
    inbound.ticket = ticket
    inbound.ticket_message = message
    inbound.error = plan.reading.why if plan.reading and plan.outcome != Outcome.CREATED else ""
    inbound.refused_files = plan.refused
    inbound.attempts += 1
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=_PROCESSING_FIELDS)


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
    mail: ParsedMail, files: list[CheckedFile], inbound: InboundMessage, previous: object
) -> IncomingRequest:
    body = _body(mail, files)
    subject = mail.subject or body.split("\n", 1)[0][:SUBJECT_FROM_TEXT_LENGTH]
    metadata = {"message_id": mail.message_id, "inbound_id": str(inbound.pk)}
    if previous is not None:
        metadata["previous_reference"] = str(getattr(previous, "reference", ""))
    return IncomingRequest(
        channel=Channel.EMAIL,
        requester=RequesterData(name=mail.sender_name or mail.sender, email=mail.sender),
        subject=subject[:200],
        description=body,
        files=files,
        channel_metadata=metadata,
    )


def _auto_reply_note(mail: ParsedMail) -> str:
    # The note is what the robot said, as it said it; its kind is in the inbound row.
    return f"{mail.subject}\n\n{visible_text(mail.text)}".strip()


def inbound_retry(inbound: InboundMessage) -> InboundMessage:
    """Process a quarantined message again (after the cause was fixed)."""
    updated = InboundMessage.objects.filter(
        pk=inbound.pk, state=InboundMessage.State.QUARANTINED
    ).update(state=InboundMessage.State.RECEIVED, outcome="", error="")
    inbound.refresh_from_db()
    return mail_process(inbound) if updated else inbound


def inbound_discard(inbound: InboundMessage) -> InboundMessage:
    """Set a quarantined message aside for good (spam, junk); it stays stored."""
    InboundMessage.objects.filter(pk=inbound.pk, state=InboundMessage.State.QUARANTINED).update(
        state=InboundMessage.State.DISCARDED
    )
    inbound.refresh_from_db()
    return inbound
