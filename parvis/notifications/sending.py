"""Sending written mail by SMTP, when a server is configured (``PARVIS_MAIL_SEND``).

A mail is claimed before it is sent (its next attempt moved a few minutes ahead, by one
conditional UPDATE), so two workers never send it at once. A process killed between the
SMTP server's acceptance and the record of it sends that one mail again after the claim
expires: at least once, never lost; it keeps its Message-ID, by which mail clients
recognise a duplicate.

Each mail goes as text with an HTML alternative made from the same text (``html``).
"""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from parvis.notifications.envelope import body_for, headers_for, sender_address
from parvis.notifications.html import html_for
from parvis.notifications.models import Mail
from parvis.notifications.selectors import conversation_ids

logger = logging.getLogger(__name__)

CLAIM = datetime.timedelta(minutes=5)


def mail_send_pending(*, limit: int = 100) -> int:
    """Send the mails that are due; return how many went."""
    now = timezone.now()
    due = list(
        Mail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(_send(pk) for pk in due)


def _send(mail_id: int) -> bool:
    now = timezone.now()
    claimed = Mail.objects.filter(pk=mail_id, sent_at__isnull=True, next_attempt_at__lte=now)
    if not claimed.update(next_attempt_at=now + CLAIM):
        return False  # another worker has it
    mail = Mail.objects.select_related("ticket").get(pk=mail_id)
    try:
        message = EmailMultiAlternatives(
            subject=mail.subject,
            body=body_for(mail),
            from_email=mail.from_email or sender_address(),
            to=[mail.to],
            headers=headers_for(mail, conversation_ids(mail)),
        )
        message.attach_alternative(html_for(mail), "text/html")
        message.send()
    except Exception as error:  # the server refused or is down: try again later
        logger.warning("mail %s not sent: %s", mail_id, error)
        attempts = mail.send_attempts + 1
        Mail.objects.filter(pk=mail_id).update(
            send_attempts=F("send_attempts") + 1,
            last_error=str(error)[:2000],
            next_attempt_at=timezone.now() + backoff(attempts),
        )
        return False
    Mail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), next_attempt_at=None, send_attempts=F("send_attempts") + 1
    )
    return True


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** (attempts - 1), 3600))
