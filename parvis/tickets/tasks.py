"""The worker's side of the outbox: woken after each commit, and a sweep every minute.

The nudge is only a wake-up call: the truth is in the ``EventDelivery`` rows. A nudge lost
(a web process killed between its commit and the enqueue, a job queue flushed) delays a
delivery until the next sweep, at most a minute; it never loses it.

Nudges are coalesced: a commit enqueues a dispatch only if none is waiting to start (a flag
in the job queue's own storage, shared by every process: Redis, SQLite or memory). The
dispatch lowers the flag *before* it looks for due deliveries, so a commit whose nudge was
skipped had committed before that look, and is seen by it. Under load one dispatch thus
serves every commit made while it waited, instead of one job per ticket finding nothing.

A dispatch first waits a few milliseconds (``GATHER_SECONDS``) with the flag still raised, so
that the commits of that moment join its batch: a delivery handed over alone costs about five
times the worker's CPU of one in a batch of fifty (the claim, the commit and their queries are
paid per batch), and an acknowledgement a twentieth of a second later is not noticed.
"""

import time

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, on_startup

from parvis.tickets import outbox

NUDGED = "parvis:outbox:nudged"
GATHER_SECONDS = 0.05


@db_task()  # type: ignore[untyped-decorator]
def dispatch_events() -> int:
    """Deliver whatever is due (called after a commit that recorded deliveries)."""
    if not HUEY.immediate:  # tests and HUEY_IMMEDIATE run the job inline: nothing to gather
        time.sleep(GATHER_SECONDS)
    HUEY.delete(NUDGED)  # from now on a commit nudges again; what came before is seen below
    return outbox.dispatch_pending()


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_events() -> int:
    """Deliver what a lost nudge or a retry delay left pending.

    A flag left raised by a lost dispatch (queue flushed, worker killed) is lowered here, so
    that it holds nudges back for a minute at most.
    """
    HUEY.delete(NUDGED)
    return outbox.dispatch_pending()


@on_startup()  # type: ignore[untyped-decorator]
def deliver_on_start() -> None:
    """A worker (re)started after a crash delivers what was left at once."""
    dispatch_events()


def nudge() -> None:
    if HUEY.put_if_empty(NUDGED, "1"):
        dispatch_events()


outbox.on_recorded(nudge)
