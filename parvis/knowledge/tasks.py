"""Jobs of the knowledge base: the review reminders, every morning.

One run at a time across every worker (a Huey lock); a second scheduler would find nothing
left to remind anyway (each due date is reminded once, under a row lock).
"""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from parvis.knowledge.reviews import article_review_reminders_send


@db_periodic_task(crontab(hour="7", minute="15"))  # type: ignore[untyped-decorator]
def send_review_reminders() -> None:
    with HUEY.lock_task("knowledge-review-reminders"):
        article_review_reminders_send()
