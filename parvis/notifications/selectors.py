"""Reads of the local outbox."""

from django.core.paginator import Page, Paginator

from parvis.notifications.models import OutboxMessage


def outbox_page(page_number: str | int) -> Page[OutboxMessage]:
    return Paginator(OutboxMessage.objects.all(), 25).get_page(page_number)
