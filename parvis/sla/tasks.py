"""The escalation job: every minute, warnings before due times and notices once overdue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from parvis.sla.actions import escalations_send


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def escalate_deadlines() -> int:
    return escalations_send()
