"""The worker's mail and SMS jobs: send after a commit, and sweep every minute for retries."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from parvis.notifications.sending import mail_send_pending
from parvis.notifications.sms_sending import sms_send_pending


@db_task()  # type: ignore[untyped-decorator]
def send_mail_soon() -> int:
    return mail_send_pending()


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_mail() -> int:
    return mail_send_pending()


@db_task()  # type: ignore[untyped-decorator]
def send_sms_soon() -> int:
    return sms_send_pending()


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_sms() -> int:
    return sms_send_pending()
