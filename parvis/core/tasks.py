"""Jobs of core: the hourly purge of the rate limits' ended counters (database cache only)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from parvis.core.ratelimit import rate_counters_purge


@db_periodic_task(crontab(minute="23"))  # type: ignore[untyped-decorator]
def purge_rate_counters() -> None:
    """Delete the counters whose window has ended (Redis expires its own)."""
    rate_counters_purge()
