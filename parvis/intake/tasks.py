"""Jobs of intake: the hourly purge of expired idempotency keys."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from parvis.intake.idempotency import idempotency_keys_purge


@db_periodic_task(crontab(minute="17"))  # type: ignore[untyped-decorator]
def purge_idempotency_keys() -> None:
    """Delete the keys older than PARVIS_IDEMPOTENCY_KEY_HOURS (their retries are over)."""
    idempotency_keys_purge()
