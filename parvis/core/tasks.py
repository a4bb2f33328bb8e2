"""Jobs of core: the hourly purge of the rate limits' ended counters (database cache only)."""

import gc

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from parvis.core.ratelimit import rate_counters_purge


@db_periodic_task(crontab(minute="23"))  # type: ignore[untyped-decorator]
def purge_rate_counters() -> None:
    """Delete the counters whose window has ended (Redis expires its own)."""
    rate_counters_purge()


@HUEY.on_startup()  # type: ignore[untyped-decorator]
def freeze_start_up() -> None:
    """What start-up made lives as long as the worker: out of the collector's way (as
    ``parvis.wsgi`` does for the web workers)."""
    gc.freeze()
