"""Reads of the citizens' emails."""

from django.core.paginator import Page, Paginator

from parvis.notifications.models import Mail
from parvis.tickets.models import Event


def outbox_page(page_number: str | int) -> Page[Mail]:
    return Paginator(Mail.objects.all(), 25).get_page(page_number)


def conversation_ids(mail: Mail) -> list[str]:
    """The Message-IDs of a mail's conversation before it, oldest first: the citizen's mail
    that opened the ticket (kept in its ``created`` event) and the mails written since."""
    if mail.ticket_id is None:
        return []
    opening = (
        Event.objects.filter(ticket_id=mail.ticket_id, kind=Event.Kind.CREATED)
        .values_list("data__metadata__message_id", flat=True)
        .first()
    )
    earlier = Mail.objects.filter(ticket_id=mail.ticket_id, created_at__lt=mail.created_at)
    ids = [opening] if isinstance(opening, str) and opening else []
    ids += [
        i for i in earlier.order_by("created_at", "pk").values_list("message_id", flat=True) if i
    ]
    return ids
