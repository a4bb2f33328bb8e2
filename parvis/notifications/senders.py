"""Which address a mail about a ticket comes from — and so where the answer to it goes.

In order: an active mairie address (``mailin.Mailbox``) of the ticket's service that sends
for it (``sends_for_service``), shown under the service's name; else the commune's address
(``core.Commune.email``); else ``DEFAULT_FROM_EMAIL``'s — both under the commune's name.
Never a "ne-pas-répondre" address: a citizen who presses "Répondre" must reach the ticket
(the Reply-To is built on the same address, ``envelope.reply_address``), so such an address
is passed over for the next one.

The mailboxes are read through the service's reverse relation (``Service.mailboxes``, the
foreign key that ``mailin`` declares), not by importing ``mailin``: ``mailin`` imports
``notifications`` (the reply address, the mails it threads on), and an import the other way
would tie the two apps in a cycle. ``catalog``, below both, is the meeting point.
"""

import re
from email.headerregistry import Address

from parvis.core.models import Commune
from parvis.notifications.envelope import sender_address
from parvis.tickets.models import Ticket

# Local parts that say "do not answer", in English and French.
_NO_REPLY = re.compile(
    r"^(no-?reply|do-?not-?reply|ne-?pas-?r[ée]pondre)\b",  # i18n: ignore — a pattern
    re.IGNORECASE,
)


def sender_for(ticket: Ticket | None) -> str:
    """The From of a mail about this ticket: "Name <address>" (one query, the mailboxes)."""
    commune = Commune.current()
    if ticket is not None:
        mailbox = (
            ticket.service.mailboxes.filter(sends_for_service=True, is_active=True)
            .order_by("address")
            .values_list("address", flat=True)
        )
        address = next((a for a in mailbox if not is_no_reply(a)), "")
        if address:
            return formatted(ticket.service.name, address)
    if commune.email and not is_no_reply(commune.email):
        return formatted(commune.name, commune.email)
    return formatted(commune.name, sender_address())


def is_no_reply(address: str) -> bool:
    return bool(_NO_REPLY.match(address.strip()))


def formatted(name: str, address: str) -> str:
    """``"Service état civil" <etat-civil@…>``, the name quoted or encoded as mail wants."""
    local, _, domain = address.strip().lower().partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
