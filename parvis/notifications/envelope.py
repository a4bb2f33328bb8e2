"""What every mail to a citizen carries besides its text, so that their answer comes back.

- ``From``: the address of the ticket's service or of the commune (``senders``), chosen and
  kept when the mail is written.
- ``Reply-To``: the ticket's reply address, built on that same address
  (``etat-civil+t.2026-00042.<signature>@…``): a citizen who presses "Répondre" writes to
  the ticket, whatever their mail client keeps of the headers (``mailin.threads``). The
  signature is an HMAC of the reference under ``SECRET_KEY``: an address cannot be made up
  for another ticket.
- ``In-Reply-To`` / ``References``: the messages of the conversation, so that the citizen's
  client shows one thread.
- ``Auto-Submitted: auto-replied`` (RFC 3834) on what no person wrote (acknowledgement,
  tracking link, resolution notice), so that well-behaved robots do not answer it; and
  ``X-Parvis-Loop`` on everything, so that our own mail coming back is never a new ticket.
- above the text, the line that says where to answer: what is below it in a reply is cut
  (``mailin.quotes``).

A notice to agents (``Audience.AGENT``) carries none of the citizen's means of answering: no
reply address, no conversation, no marker — an agent pressing "Répondre" must not write into
the ticket as if they were the citizen. It is ``Auto-Submitted: auto-generated`` (a
notification, RFC 3834) and carries the loop header too.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from parvis.notifications.models import Mail

LOOP_HEADER = "X-Parvis-Loop"
# Matched in replies (``mailin.quotes``) in the site's language and in French, its source.
REPLY_ABOVE_MARKER = gettext_lazy("— Répondez au-dessus de cette ligne —")
AUTOMATIC_TEMPLATES = {
    "acknowledgement",
    "tracking_link",
    "resolved",
    "transferred",
    "waiting",
    "satisfaction",
}
SIGNATURE_LENGTH = 16  # hex characters: 64 bits, lower-case (mail servers fold case)
_SALT = "parvis.mailin.reply-address"


def reply_signature(reference: str) -> str:
    return salted_hmac(_SALT, reference, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(reference: str, mailbox: str) -> str:
    """The address a citizen's answer to a mail about this ticket goes to."""
    local, _, domain = mailbox.partition("@")
    return f"{local}+t.{reference}.{reply_signature(reference)}@{domain}"


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL's address: the last choice of ``senders.sender_for`` (never a
    no-reply), and the address of mails written before their sender was recorded."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "contact@parvis.localhost"


def from_address(mail: Mail) -> str:
    """The bare address ``mail`` goes from."""
    return parseaddr(mail.from_email)[1] or sender_address()


def loop_value(address: str) -> str:
    """The loop header's value: the domain the mail comes from."""
    return address.rpartition("@")[2]


def headers_for(mail: Mail, earlier_ids: list[str]) -> dict[str, str]:
    """The headers of ``mail``; ``earlier_ids`` the Message-IDs of its conversation so far."""
    sender = from_address(mail)
    headers = {LOOP_HEADER: loop_value(sender)}
    if mail.message_id:
        headers["Message-ID"] = mail.message_id
    if mail.is_for_agents:
        headers["Auto-Submitted"] = "auto-generated"
        return headers
    if mail.ticket is not None:
        headers["Reply-To"] = reply_address(mail.ticket.reference, sender)
    if earlier_ids:
        headers["In-Reply-To"] = earlier_ids[-1]
        headers["References"] = " ".join(earlier_ids[-10:])
    if mail.template in AUTOMATIC_TEMPLATES:
        headers["Auto-Submitted"] = "auto-replied"
    return headers


def body_for(mail: Mail) -> str:
    """The text as sent: a citizen's mail opens with the line to answer above."""
    if mail.is_for_agents:
        return mail.body
    return f"{REPLY_ABOVE_MARKER}\n\n{mail.body}"
