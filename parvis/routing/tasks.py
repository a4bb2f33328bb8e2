"""The worker retrains the triage classifier every night, and at once when there is none.

One training at a time across every worker (a Huey lock): two nightly schedulers on two
machines do not both train.
"""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from parvis.routing.actions import classifier_retrain
from parvis.routing.models import ClassifierVersion


@db_task()  # type: ignore[untyped-decorator]
def retrain_classifier_now() -> None:
    with HUEY.lock_task("classifier-retrain"):
        classifier_retrain()


@db_periodic_task(crontab(hour="2", minute="30"))  # type: ignore[untyped-decorator]
def retrain_classifier_nightly() -> None:
    with HUEY.lock_task("classifier-retrain"):
        classifier_retrain()


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def train_first_classifier() -> None:
    """A new installation gets its first classifier within minutes of its worker's start."""
    if ClassifierVersion.objects.exists():
        return
    with HUEY.lock_task("classifier-retrain"):
        if not ClassifierVersion.objects.exists():
            classifier_retrain()
