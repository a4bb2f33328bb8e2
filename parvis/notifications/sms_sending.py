"""Sending written SMS through the configured backend, as ``sending`` does for mail.

A message is claimed before it goes (its next attempt moved ahead by one conditional
UPDATE): two workers never send it at once. A process killed between the provider's
acceptance and the record of it sends it again once the claim expires: at least once.
"""

import logging

from django.db.models import F
from django.utils import timezone

from parvis.notifications.models import TextMessage
from parvis.notifications.sending import CLAIM, backoff
from parvis.notifications.sms import sms_available, sms_backend

logger = logging.getLogger(__name__)


def sms_send_pending(*, limit: int = 100) -> int:
    """Send the SMS that are due; return how many went."""
    if not sms_available():
        return 0
    due = list(
        TextMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(_send(pk) for pk in due)


def _send(message_id: int) -> bool:
    now = timezone.now()
    claimed = TextMessage.objects.filter(
        pk=message_id, sent_at__isnull=True, next_attempt_at__lte=now
    )
    if not claimed.update(next_attempt_at=now + CLAIM):
        return False  # another worker has it
    message = TextMessage.objects.get(pk=message_id)
    try:
        sms_backend().send(message.to, message.body)
    except Exception as error:  # the provider refused or is down: try again later
        logger.warning("SMS %s not sent: %s", message_id, error)
        TextMessage.objects.filter(pk=message_id).update(
            send_attempts=F("send_attempts") + 1,
            last_error=str(error)[:2000],
            next_attempt_at=timezone.now() + backoff(message.send_attempts + 1),
        )
        return False
    TextMessage.objects.filter(pk=message_id).update(
        sent_at=timezone.now(), next_attempt_at=None, send_attempts=F("send_attempts") + 1
    )
    return True
