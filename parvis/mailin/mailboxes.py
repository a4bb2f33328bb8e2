"""Which of the mairie's addresses a message was written to, and so where it goes by default."""

from parvis.mailin.models import Mailbox


def bare_address(address: str) -> str:
    """``contact+t.2026-00042.ab12…@mairie.fr`` → ``contact@mairie.fr`` (lower-case)."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else address.strip().lower()


def mailbox_for(addresses: list[str]) -> Mailbox | None:
    """The first active mailbox among the addresses, in their order (envelope, then headers)."""
    wanted = [bare_address(a) for a in addresses if "@" in a]
    if not wanted:
        return None
    found = {
        m.address.lower(): m
        for m in Mailbox.objects.filter(address__in=set(wanted), is_active=True).select_related(
            "service", "request_type"
        )
    }
    return next((found[a] for a in wanted if a in found), None)
