"""Writes of the privacy app."""

from collections.abc import Iterable

from parvis.accounts.models import User
from parvis.privacy.models import AccessContext, AccessLog, AccessLogTicket


def access_log_record(
    *, user: User, ticket_ids: Iterable[int], context: AccessContext, granted: bool = True
) -> AccessLog | None:
    """Record that ``user`` read (or was refused) these confidential tickets: one entry.

    Two INSERTs whatever the number of tickets; nothing when there are none.
    """
    ids = sorted(set(ticket_ids))
    if not ids:
        return None
    log = AccessLog.objects.create(user=user, context=context, granted=granted)
    AccessLogTicket.objects.bulk_create(
        AccessLogTicket(access_log=log, ticket_id=ticket_id) for ticket_id in ids
    )
    return log
