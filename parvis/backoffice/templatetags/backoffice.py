"""Template helpers of the back office: is the local outbox in use, plural of follow-ups."""

from django import template
from django.conf import settings
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def outbox_enabled() -> bool:
    """True when mail is only kept for the outbox page rather than sent to an SMTP server."""
    return not settings.PARVIS_MAIL_SEND


@register.filter
def follow_ups(count: int) -> str:
    """2 → "2 relances", 1 → "1 relance", 0 → ""."""
    if not count:
        return ""
    return ngettext("%(count)s relance", "%(count)s relances", count) % {"count": count}
