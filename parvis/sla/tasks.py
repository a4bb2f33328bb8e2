"""The escalation job: every minute, warnings before due times and notices once overdue;
and each working morning, the agents' daily digests."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from parvis.sla.actions import escalations_send
from parvis.sla.digests import digests_send


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def escalate_deadlines() -> int:
    return escalations_send()


@db_periodic_task(crontab(minute="30", hour="7", day_of_week="1-5"))  # type: ignore[untyped-decorator]
def send_daily_digests() -> int:
    return digests_send()
