"""Reads of the citizens' emails."""

from django.core.paginator import Page, Paginator

from parvis.notifications.models import Mail


def outbox_page(page_number: str | int) -> Page[Mail]:
    return Paginator(Mail.objects.all(), 25).get_page(page_number)
