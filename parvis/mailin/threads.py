"""Which ticket an incoming message belongs to, if any — and why we may believe it.

In order of trust:

1. the recipient is a ticket's reply address (``notifications.envelope.reply_address``):
   its signature cannot be made up, so whoever writes to it was given it by the mairie's
   mail (the Reply-To of every mail we send);
2. ``In-Reply-To`` / ``References`` name a message of the ticket: one we sent to its
   citizen (``notifications.Mail``; not a notice to agents, whose answer is an agent's, not
   the citizen's) or one the citizen sent before (``InboundMessage``);
3. the subject carries a reference AND the sender is that ticket's requester. A reference
   alone is not enough: anyone can type "[2026-00042]" in a subject, and would then write
   into a stranger's ticket.

Otherwise the message opens a new ticket.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.crypto import constant_time_compare

from parvis.mailin.kinds import Reading, is_delivery_system
from parvis.mailin.models import InboundMessage
from parvis.mailin.parsing import Envelope, ParsedMail
from parvis.notifications.envelope import reply_signature
from parvis.notifications.models import Audience, Mail
from parvis.tickets.models import Ticket

_TOKEN_LOCAL = re.compile(r"\+t\.(?P<reference>\d{4}-\d{5,})\.(?P<signature>[0-9a-f]{16})@")
_SUBJECT_REFERENCE = re.compile(r"(?<![\d-])(\d{4}-\d{5,})(?![\d-])")


class Thread(StrEnum):
    TOKEN = "token"  # noqa: S105 - the reply address's token, a way of threading
    IN_REPLY_TO = "in_reply_to"
    SUBJECT_REFERENCE = "subject_reference"
    BOUNCE_REPORT = "bounce_report"


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    by: Thread


def find_ticket(mail: ParsedMail) -> Match | None:
    return _by_token(mail) or _by_message_ids(mail) or _by_subject(mail)


def ordering_keys(envelope: Envelope, envelope_recipients: str = "") -> frozenset[str]:
    """What a message shares with any other whose outcome may depend on which comes first.

    Two messages of one batch depend on each other only through what threading and intake
    read: the same person (their requester, their open tickets on the same matter, their
    rate limit), one answering the other (In-Reply-To / References naming its Message-ID),
    or the same ticket named (by reference, in a subject or a reply address). A mail server
    writing (a bounce) is no person: its messages are bound by the ids they name only.
    Messages that share no key may be processed at once, in any order; sharing a key,
    directly or through others, in the order they came.
    """
    keys = {f"id:{i}" for i in (envelope.message_id, *envelope.answered) if i}
    if not is_delivery_system(envelope.sender):
        keys.add(f"from:{envelope.sender}")
    keys.update(f"ref:{r}" for r in _SUBJECT_REFERENCE.findall(envelope.subject))
    for address in (*envelope.recipients, *envelope_recipients.lower().split(",")):
        found = _TOKEN_LOCAL.search(address)
        if found is not None:
            keys.add(f"ref:{found.group('reference')}")
    return frozenset(keys)


def goes_on(match: Match | None) -> Match | None:
    """The ticket a message to a merged ticket belongs to: the one it was merged into, where
    the matter goes on (a merged ticket is closed for good)."""
    if match is None:
        return None
    ticket, seen = match.ticket, set()
    while ticket.merged_into_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return match if ticket is match.ticket else Match(ticket, match.by)


def find_bounced(reading: Reading) -> Match | None:
    """The ticket of the mail a delivery report returns: by its Message-ID, else by address.

    A report is written by the recipient's server, not by a person: it carries neither our
    token nor, often, an In-Reply-To, but it quotes the headers of the mail that failed.
    Without them, the last mail we wrote to the failed address is the one. Only the mails to
    citizens count: a notice to agents that bounced is no news for the ticket, and telling
    its agents would send another notice to the same address, and so on.
    """
    ticket_id = None
    ours = Mail.objects.filter(ticket__isnull=False, audience=Audience.CITIZEN)
    if reading.original_ids:
        ticket_id = (
            ours.filter(message_id__in=reading.original_ids)
            .values_list("ticket_id", flat=True)
            .first()
        )
    if ticket_id is None and reading.failed_recipients:
        ticket_id = (
            ours.filter(to__in=reading.failed_recipients)
            .order_by("-created_at", "-pk")
            .values_list("ticket_id", flat=True)
            .first()
        )
    ticket = Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None
    return Match(ticket, Thread.BOUNCE_REPORT) if ticket is not None else None


def _by_token(mail: ParsedMail) -> Match | None:
    for address in mail.recipients:
        found = _TOKEN_LOCAL.search(address)
        if found is None:
            continue
        reference = found.group("reference")
        if not constant_time_compare(found.group("signature"), reply_signature(reference)):
            continue
        ticket = Ticket.objects.filter(reference=reference).first()
        if ticket is not None:
            return Match(ticket, Thread.TOKEN)
    return None


def _by_message_ids(mail: ParsedMail) -> Match | None:
    ids = [i for i in (*mail.in_reply_to, *reversed(mail.references)) if i]
    if not ids:
        return None
    ticket_id = (
        Mail.objects.filter(message_id__in=ids, ticket__isnull=False, audience=Audience.CITIZEN)
        .values_list("ticket_id", flat=True)
        .first()
    ) or (
        InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False)
        .values_list("ticket_id", flat=True)
        .first()
    )
    ticket = Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None
    return Match(ticket, Thread.IN_REPLY_TO) if ticket is not None else None


def _by_subject(mail: ParsedMail) -> Match | None:
    if not mail.sender:
        return None
    for reference in _SUBJECT_REFERENCE.findall(mail.subject):
        ticket = Ticket.objects.filter(reference=reference).select_related("requester").first()
        if ticket is None:
            continue
        known = {ticket.requester_email.lower(), ticket.requester.email.lower()} - {""}
        if mail.sender in known:
            return Match(ticket, Thread.SUBJECT_REFERENCE)
    return None
