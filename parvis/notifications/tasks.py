"""Emails to citizens, sent by the job queue after the ticket's transaction committed."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from huey.contrib.djhuey import db_task

from parvis.core.models import Commune
from parvis.tickets.models import Message, Ticket

TEMPLATES = {"acknowledgement", "reply", "resolved", "tracking_link"}


def tracking_url(ticket: Ticket) -> str:
    return settings.BASE_URL + reverse("portal:track", args=[ticket.tracking_token])


def render_ticket_email(
    ticket: Ticket, template: str, message: Message | None = None
) -> tuple[str, str]:
    """Subject and body of a citizen email; the template's first line is the subject."""
    text = render_to_string(
        f"notifications/email/{template}.txt",
        {
            "ticket": ticket,
            "message": message,
            "commune": Commune.current(),
            "tracking_url": tracking_url(ticket),
        },
    )
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]
def send_ticket_email(ticket_id: int, template: str, message_id: int | None = None) -> None:
    """Email the requester of a ticket. Retried if the mail server is unavailable."""
    assert template in TEMPLATES
    ticket = Ticket.objects.select_related("requester", "service", "request_type").get(pk=ticket_id)
    if not ticket.requester.email:
        return
    message = Message.objects.get(pk=message_id) if message_id else None
    subject, body = render_ticket_email(ticket, template, message)
    EmailMessage(subject=subject, body=body, to=[ticket.requester.email]).send()
