"""Template helpers of the back office: is the local outbox in use, plural of follow-ups."""

from django import template
from django.conf import settings

register = template.Library()

OUTBOX_BACKEND = "parvis.notifications.outbox.OutboxBackend"


@register.simple_tag
def outbox_enabled() -> bool:
    """True when mail goes to the local outbox page rather than to an SMTP server."""
    mailers = getattr(settings, "MAILERS", None)
    if mailers:
        return bool(mailers.get("default", {}).get("BACKEND") == OUTBOX_BACKEND)
    return bool(getattr(settings, "EMAIL_BACKEND", "") == OUTBOX_BACKEND)


@register.filter
def follow_ups(count: int) -> str:
    """2 → "2 relances", 1 → "1 relance", 0 → ""."""
    if not count:
        return ""
    return f"{count} relance{'s' if count > 1 else ''}"
