"""What kind of mail this is before what it says: a person's, a robot's, a bounce, spam, ours.

Automatic mail is never acknowledged and never reopens a ticket: answering an out-of-office
with an acknowledgement is how mail loops start. The signs, by how sure they are:

- RFC 3834 ``Auto-Submitted`` other than ``no``; ``X-Autoreply``, ``X-Autorespond``,
  ``X-Auto-Response-Suppress`` (Exchange); ``Precedence: bulk / junk / list / auto_reply``;
  ``List-Id`` / ``List-Unsubscribe`` (a mailing list or a newsletter);
- a subject that says it ("Réponse automatique", "Absence du bureau", "Out of Office",
  "Automatic reply", "Message d'absence"), for the clients that add no header;
- a bounce: a ``multipart/report; report-type=delivery-status`` (RFC 3464), a sender such
  as ``MAILER-DAEMON`` / ``postmaster``, or ``X-Failed-Recipients``;
- our own mail coming back: the ``X-Parvis-Loop`` header we put on what we send.
"""

import re
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum

from parvis.mailin.parsing import ParsedMail, decode_part
from parvis.notifications.envelope import LOOP_HEADER


class Kind(StrEnum):
    PERSON = "person"
    AUTO_REPLY = "auto_reply"
    LIST = "list"
    BOUNCE = "bounce"
    DELAY = "delay"  # a temporary failure notice (4.x.x): nothing has failed yet
    SPAM = "spam"
    LOOP = "loop"


@dataclass(frozen=True)
class Reading:
    kind: Kind
    why: str  # a code for the note and the logs: the header or sign that decided
    failed_recipients: tuple[str, ...] = ()
    # For a bounce: the RFC 3463 status ("5.1.1", "" if none given) and the Message-IDs of
    # the mail that did not arrive (its headers are quoted in the report), to find its ticket.
    status: str = ""
    original_ids: tuple[str, ...] = ()


_AUTO_SUBJECT = re.compile(
    r"^\s*(?:r[ée]ponse automatique|absence du bureau|message d'absence|absent(?:e)? du"
    r"|out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?reply|autoreply"
    r"|abwesenheitsnotiz|je suis absent)",
    re.IGNORECASE,
)
_DELIVERY_SYSTEM = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"(?:undeliver|delivery status notification|non remis|non-remise|échec de (?:la )?remise"
    r"|mail delivery failed|returned mail|delivery failure|n'a pas pu être remis"
    r"|failure notice|non distribuable|delivery has failed|message not delivered)",
    re.IGNORECASE,
)
_STATUS = re.compile(r"^Status:\s*(([245])\.\d{1,3}\.\d{1,3})", re.IGNORECASE | re.MULTILINE)
_BARE_STATUS = re.compile(r"(?<![\d.])([45]\.\d{1,3}\.\d{1,3})(?![\d.])")
_QUOTED_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_FINAL_RECIPIENT = re.compile(
    r"^(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?",
    re.IGNORECASE | re.MULTILINE,
)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:\s*$", re.MULTILINE)  # qmail's report


def is_delivery_system(address: str) -> bool:
    """``MAILER-DAEMON@…``, ``postmaster@…`` or no sender: a mail server writing, not a person."""
    return bool(_DELIVERY_SYSTEM.match(address)) or address in ("", "<>")


def read(mail: ParsedMail) -> Reading:
    """The kind of the message, and what said so."""
    if mail.header(LOOP_HEADER):
        return Reading(Kind.LOOP, "x-parvis-loop")
    if mail.header("x-spam-flag").strip().upper().startswith("YES"):
        return Reading(Kind.SPAM, "x-spam-flag")
    bounce = _bounce(mail)
    if bounce is not None:
        return bounce
    auto_submitted = mail.header("auto-submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return Reading(Kind.AUTO_REPLY, "auto-submitted")
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        if mail.header(name) and name != "x-auto-response-suppress":
            return Reading(Kind.AUTO_REPLY, name)
    precedence = mail.header("precedence").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return Reading(Kind.AUTO_REPLY, "precedence")
    if precedence == "list" or mail.header("list-id") or mail.header("list-unsubscribe"):
        return Reading(Kind.LIST, "list")
    if _AUTO_SUBJECT.match(mail.subject):
        return Reading(Kind.AUTO_REPLY, "subject")
    return Reading(Kind.PERSON, "")


def _bounce(mail: ParsedMail) -> Reading | None:
    report = (
        mail.content_type == "multipart/report"
        and "delivery-status" in mail.header("content-type").lower()
    )
    failed = tuple(a.lower() for a in _ADDRESS.findall(mail.header("x-failed-recipients")))
    from_daemon = is_delivery_system(mail.sender)
    if not (report or failed or (from_daemon and _BOUNCE_SUBJECT.search(mail.subject))):
        return None
    status_text = _delivery_status(mail)
    if not failed:
        found = _FINAL_RECIPIENT.findall(status_text or mail.text) or _QMAIL_RECIPIENT.findall(
            mail.text
        )
        failed = tuple(dict.fromkeys(address.lower() for address in found))
    statuses = _STATUS.findall(status_text) or _STATUS.findall(mail.text)
    status = statuses[0][0] if statuses else next(iter(_BARE_STATUS.findall(mail.text)), "")
    originals = _original_ids(mail)
    if statuses and all(code == "4" for _full, code in statuses):
        return Reading(Kind.DELAY, "status-4xx", failed, status, originals)
    why = "delivery-status" if report else "bounce"
    return Reading(Kind.BOUNCE, why, failed, status, originals)


def _original_ids(mail: ParsedMail) -> tuple[str, ...]:
    """The Message-IDs quoted in a report: of the returned message or its headers."""
    texts = [mail.text]
    if mail.message is not None:
        for part in mail.message.walk():
            content_type = part.get_content_type()
            if content_type == "text/rfc822-headers":
                texts.append(decode_part(part))
            elif content_type == "message/rfc822":
                payload = part.get_payload()
                inner = payload[0] if isinstance(payload, list) and payload else None
                if isinstance(inner, Message) and inner.get("Message-ID"):
                    texts.append(f"Message-ID: {inner.get('Message-ID')}")
    found = [i for text in texts for i in _QUOTED_ID.findall(text)]
    return tuple(i for i in dict.fromkeys(found) if i != mail.message_id)


def _delivery_status(mail: ParsedMail) -> str:
    """The text of the ``message/delivery-status`` part of a report, if it has one."""
    if mail.message is None:
        return ""
    texts: list[str] = []
    for part in mail.message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):  # parsed as header blocks
                texts.extend(str(block) for block in payload)
            else:
                texts.append(decode_part(part))
    return "\n".join(texts)
