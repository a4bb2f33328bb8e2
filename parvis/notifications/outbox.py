"""An email backend that keeps messages in the database instead of sending them.

Used when ``EMAIL_HOST`` is not set, so that a newcomer sees every email on the outbox page.
"""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from parvis.notifications.models import OutboxMessage


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                to=", ".join(message.to), subject=str(message.subject), body=str(message.body)
            )
            for message in email_messages
        )
        return len(email_messages)
