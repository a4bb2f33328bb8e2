"""When a citizen's follow-up ("Relancer — Sans nouvelles ?") makes sense.

A follow-up asks the service for news. It makes sense only when the request is in the
service's hands (new or in progress: not waiting for the citizen, not resolved or closed)
and the service has not answered since the citizen last wrote — the request itself, a
message or a follow-up — for ``PARVIS_FOLLOW_UP_AFTER_WORKING_DAYS`` working days (Monday to
Friday; the commune's public holidays come with the business calendars). Just after filing a
request, or the day after an answer, the page offers to write a message instead.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from parvis.tickets.models import Event, Status, Ticket

_CITIZEN_WORDS = frozenset({Event.Kind.CREATED, Event.Kind.CITIZEN_MESSAGE, Event.Kind.FOLLOW_UP})


def follow_up_due(
    ticket: Ticket, events: Sequence[Event], *, now: datetime.datetime | None = None
) -> bool:
    """Whether the citizen may follow this request up now; ``events`` are its own, any order."""
    if ticket.status not in (Status.NEW, Status.IN_PROGRESS):
        return False
    last_word = max((e.created_at for e in events if e.kind in _CITIZEN_WORDS), default=None)
    if last_word is None:
        last_word = ticket.created_at
    if any(e.kind == Event.Kind.REPLY and e.created_at >= last_word for e in events):
        return False
    today = timezone.localdate(now or timezone.now())
    waited = working_days_between(timezone.localdate(last_word), today)
    return waited >= settings.PARVIS_FOLLOW_UP_AFTER_WORKING_DAYS


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days (Monday to Friday) after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    days = weeks * 5
    for offset in range(1, extra + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            days += 1
    return days
