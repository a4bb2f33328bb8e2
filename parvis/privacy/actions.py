"""Writes of the privacy app."""

from parvis.accounts.models import User
from parvis.privacy.models import AccessLog


def access_log_record(*, user: User, ticket_id: int, context: str = "ticket_page") -> AccessLog:
    """Record that ``user`` read a confidential ticket. The record itself is the audit."""
    return AccessLog.objects.create(user=user, ticket_id=ticket_id, context=context)
