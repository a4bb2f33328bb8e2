"""The worker's side of the outbox: woken after each commit, and a sweep every minute.

The nudge is only a wake-up call: the truth is in the ``EventDelivery`` rows. A nudge lost
(a web process killed between its commit and the enqueue, a job queue flushed) delays a
delivery until the next sweep, at most a minute; it never loses it.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from parvis.tickets import outbox


@db_task()  # type: ignore[untyped-decorator]
def dispatch_events() -> int:
    """Deliver whatever is due (called after a commit that recorded deliveries)."""
    return outbox.dispatch_pending()


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_events() -> int:
    """Deliver what a lost nudge or a retry delay left pending."""
    return outbox.dispatch_pending()


@on_startup()  # type: ignore[untyped-decorator]
def deliver_on_start() -> None:
    """A worker (re)started after a crash delivers what was left at once."""
    dispatch_events()


def nudge() -> None:
    dispatch_events()


outbox.on_recorded(nudge)
