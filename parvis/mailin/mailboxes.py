"""Which of the mairie's addresses a message was written to, and so where it goes by default.

Read for every message received: each process keeps the active addresses (as ``Row``s,
never shared instances) under the catalogue's version, which an edit of an address moves
(``apps.MailinConfig.ready``), so an administrator's change shows everywhere within a second.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.mailin.models import Mailbox


def bare_address(address: str) -> str:
    """``contact+t.2026-00042.ab12…@mairie.fr`` → ``contact@mairie.fr`` (lower-case)."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else address.strip().lower()


@dataclass(frozen=True, slots=True)
class _Kept:
    mailbox: Row[Mailbox]
    service: Row[Service] | None
    request_type: Row[RequestType] | None

    def instance(self) -> Mailbox:
        mailbox = self.mailbox.instance()
        mailbox.service = self.service.instance() if self.service else None
        mailbox.request_type = self.request_type.instance() if self.request_type else None
        return mailbox


def mailbox_for(addresses: list[str]) -> Mailbox | None:
    """The first active mailbox among the addresses, in their order (envelope, then headers)."""
    wanted = [bare_address(a) for a in addresses if "@" in a]
    if not wanted:
        return None
    kept = memo(CATALOGUE, "mailboxes", _active_mailboxes)
    found = next((kept[a] for a in wanted if a in kept), None)
    return found.instance() if found is not None else None


def _active_mailboxes() -> Mapping[str, _Kept]:
    mailboxes = Mailbox.objects.filter(is_active=True).select_related("service", "request_type")
    return MappingProxyType(
        {
            m.address.lower(): _Kept(
                Row.of(m),
                Row.of(m.service) if m.service else None,
                Row.of(m.request_type) if m.request_type else None,
            )
            for m in mailboxes
        }
    )
