"""Which address a mail about a ticket comes from — and so where the answer to it goes.

In order: an active mairie address (``mailin.Mailbox``) of the ticket's service that sends
for it (``sends_for_service``), shown under the service's name; else the commune's address
(``core.Commune.email``); else ``DEFAULT_FROM_EMAIL``'s — both under the commune's name.
Never a "ne-pas-répondre" address: a citizen who presses "Répondre" must reach the ticket
(the Reply-To is built on the same address, ``envelope.reply_address``), so such an address
is passed over for the next one.

The mailboxes are read (once per process and catalogue version) through the service's
reverse relation (``Service.mailboxes``, the foreign key that ``mailin`` declares), not by
importing ``mailin``: ``mailin`` imports ``notifications`` (the reply address, the mails it
threads on), and an import the other way would tie the two apps in a cycle. ``catalog``,
below both, is the meeting point.
"""

import re
from collections.abc import Mapping
from email.headerregistry import Address
from types import MappingProxyType

from parvis.catalog.models import Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.models import Commune
from parvis.notifications.envelope import sender_address
from parvis.tickets.models import Ticket

# Local parts that say "do not answer", in English and French.
_NO_REPLY = re.compile(
    r"^(no-?reply|do-?not-?reply|ne-?pas-?r[ée]pondre)\b",  # i18n: ignore — a pattern
    re.IGNORECASE,
)


def sender_for(ticket: Ticket | None) -> str:
    """The From of a mail about this ticket: "Name <address>" (no query: the process's copy)."""
    commune = Commune.current()
    if ticket is not None:
        address = memo(CATALOGUE, "service-senders", _service_senders).get(ticket.service_id)
        if address:
            return formatted(ticket.service.name, address)
    if commune.email and not is_no_reply(commune.email):
        return formatted(commune.name, commune.email)
    return formatted(commune.name, sender_address())


def _service_senders() -> Mapping[int, str]:
    """Each service's sending address, the first in alphabetical order that may be answered.

    Kept by each process under the catalogue's version, which an edit of a mailbox moves.
    """
    rows = (
        Service.objects.filter(mailboxes__sends_for_service=True, mailboxes__is_active=True)
        .order_by("pk", "mailboxes__address")
        .values_list("pk", "mailboxes__address")
    )
    senders: dict[int, str] = {}
    for service_id, address in rows:
        if service_id not in senders and not is_no_reply(address):
            senders[service_id] = address
    return MappingProxyType(senders)


def is_no_reply(address: str) -> bool:
    return bool(_NO_REPLY.match(address.strip()))


def formatted(name: str, address: str) -> str:
    """``"Service état civil" <etat-civil@…>``, the name quoted or encoded as mail wants."""
    local, _, domain = address.strip().lower().partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
