"""Every message of the corpus (tests/corpus, written for the project) read as its index says.

Each file is ingested on a database holding one ticket — the one the replies, auto-replies
and bounces of the corpus refer to, with the acknowledgement Parvis sent for it — after its
placeholders are replaced by that ticket's values. The index says what must come out: the
outcome, how a reply was threaded, the decoded subject and sender, what the cleaned text
keeps and cuts, the attachments kept and refused, a bounce's failing address.
"""

from pathlib import Path
from typing import Any

import pytest
import yaml

from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.kinds import Kind, read
from parvis.mailin.models import InboundMessage
from parvis.mailin.parsing import parse
from parvis.mailin.quotes import visible_text
from parvis.notifications.envelope import reply_address, sender_address
from parvis.notifications.models import Mail
from parvis.tickets.models import Event, Message
from parvis.tickets.structures import RequesterData

CORPUS = Path(__file__).parent / "corpus"
ENTRIES = yaml.safe_load((CORPUS / "index.yaml").read_text(encoding="utf-8"))
REQUESTER = RequesterData("Emilie Roux", "emilie.roux@example.fr")

pytestmark = pytest.mark.django_db


def _substituted(raw: bytes, ticket: Any, our_id: str) -> bytes:
    values = {
        "{{OUR_MESSAGE_ID}}": our_id,
        "{{REPLY_ADDRESS}}": reply_address(ticket.reference, sender_address()),
        "{{REFERENCE}}": ticket.reference,
        "{{REQUESTER_EMAIL}}": REQUESTER.email,
        "{{REQUESTER_NAME}}": REQUESTER.name,
    }
    for placeholder, value in values.items():
        raw = raw.replace(placeholder.encode(), value.encode())
    return raw


def _shown_text(inbound: InboundMessage, raw: bytes) -> str:
    """What an agent reads of the message on the ticket (or would, had it made one)."""
    if inbound.outcome == InboundMessage.Outcome.CREATED and inbound.ticket is not None:
        return inbound.ticket.description
    if inbound.ticket is not None:
        last = Message.objects.filter(ticket=inbound.ticket).order_by("-pk").first()
        if last is not None:
            return last.body
    return visible_text(parse(raw).text)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["file"] for entry in ENTRIES])
def test_the_corpus_message_comes_out_as_its_index_says(
    entry: dict[str, Any], make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule", requester=REQUESTER)
    our_id = Mail.objects.get(ticket=ticket).message_id
    raw = _substituted((CORPUS / entry["file"]).read_bytes(), ticket, our_id)
    expect = yaml.safe_load(_substituted(yaml.safe_dump(entry["expect"]).encode(), ticket, our_id))

    if entry["kind"] == "duplicate":  # the second delivery of a message received before
        first = _substituted(
            (CORPUS / "duplicate-a-first-delivery.eml").read_bytes(), ticket, our_id
        )
        mail_process(mail_receive(raw=first, source=InboundMessage.Source.FILE)[0])
    inbound, new = mail_receive(raw=raw, source=InboundMessage.Source.FILE)
    inbound = mail_process(inbound)
    mail = parse(raw)
    if not new:
        assert expect.get("outcome") == "ignored"  # what mail ingest prints for a redelivery
        assert InboundMessage.objects.count() == 1
        return

    if expect.get("outcome"):
        assert inbound.outcome == expect["outcome"], inbound.error
    if expect.get("threads_by") in ("token", "in_reply_to", "subject_reference"):
        assert inbound.ticket == ticket
    if expect.get("threads_by") == "none":
        assert inbound.ticket != ticket
    if expect.get("subject") is not None:
        assert mail.subject == expect["subject"]
    if expect.get("from") is not None:
        assert mail.sender == expect["from"]
    if expect.get("from_name") is not None:
        assert mail.sender_name == expect["from_name"]
    shown = _shown_text(inbound, raw)
    for text in expect.get("visible_contains") or []:
        assert text in shown, f"{text!r} missing from:\n{shown}"
    for text in expect.get("visible_excludes") or []:
        assert text not in shown, f"{text!r} left in:\n{shown}"
    if expect.get("attachments") is not None:
        # Decoded as the sender named them (stored under a cleaned name: tickets.files).
        assert set(expect["attachments"]) <= {part.name for part in mail.parts}
        if inbound.outcome in ("created", "appended") and inbound.ticket is not None:
            kept = inbound.ticket.attachments.count()
            assert kept >= len(expect["attachments"]) - len(inbound.refused_files)
    if expect.get("refused_attachments"):
        assert set(expect["refused_attachments"]) <= set(inbound.refused_files)
    if expect.get("bounce_recipient"):
        assert expect["bounce_recipient"] in read(mail).failed_recipients
    reading = read(mail)
    if reading.kind == Kind.BOUNCE and REQUESTER.email in reading.failed_recipients:
        # A failure of our mail to the requester: the agent is told, the address marked.
        assert inbound.ticket == ticket
        assert ticket.events.filter(kind=Event.Kind.MAIL_BOUNCED).count() == 1
        ticket.requester.refresh_from_db()
        assert ticket.requester.failing_email == REQUESTER.email
    elif inbound.outcome == InboundMessage.Outcome.BOUNCE:  # someone else's, or a delay
        assert not Event.objects.filter(kind=Event.Kind.MAIL_BOUNCED).exists()
