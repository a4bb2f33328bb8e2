"""The worker's side of incoming mail: process what was received, soon after, and sweep.

A transport stores the message and answers its peer; processing is the worker's, woken
after the commit (``process_inbound_soon``) and sweeping each minute for anything a lost
wake-up or a crash left ``received``. Processing is safe to run twice at once: each message
is processed under a lock on its row (``actions.mail_process``).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from parvis.mailin.actions import mail_process_pending


@db_task()  # type: ignore[untyped-decorator]
def process_inbound_soon() -> int:
    return len(mail_process_pending())


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_inbound() -> int:
    return len(mail_process_pending())
