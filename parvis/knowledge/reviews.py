"""Review reminders: an article whose review is due is notified to its service, once.

The daily job (``knowledge.tasks``) calls ``article_review_reminders_send``. Each due date is
reminded once: the date reminded is kept on the article (``review_reminded_for``), in the
transaction that writes the notices, and a review (``article_mark_reviewed``) moves the due
date on, so the next one is reminded in its turn. Drafts are not reminded: nobody reads them.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.models import User
from parvis.accounts.selectors import system_actor
from parvis.knowledge.models import Article, ArticleChange
from parvis.notifications.actions import agent_notice_write_unattached
from parvis.notifications.models import Template


def articles_due_for_review(today: datetime.date) -> list[Article]:
    """Published and internal articles whose review date has come and was not reminded."""
    candidates = Article.objects.exclude(state=Article.State.DRAFT).only(
        "pk", "created_at", "last_reviewed_on", "review_every_days", "review_reminded_for"
    )
    return [
        a
        for a in candidates
        if a.review_due_on <= today and a.review_reminded_for != a.review_due_on
    ]


def article_review_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell each due article's service; return how many articles were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    actor = system_actor()
    for candidate in articles_due_for_review(today):
        if _remind(candidate.pk, today, actor):
            reminded += 1
    return reminded


@transaction.atomic
def _remind(article_id: int, today: datetime.date, actor: User) -> bool:
    article = (
        Article.objects.select_for_update().select_related("service").filter(pk=article_id).first()
    )
    if article is None or article.state == Article.State.DRAFT:
        return False
    due = article.review_due_on
    if due > today or article.review_reminded_for == due:
        return False  # another worker reminded it meanwhile, or it was reviewed
    agents = list(
        User.objects.filter(
            memberships__service_id=article.service_id, is_active=True, is_system=False
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    agent_notice_write_unattached(
        template=Template.AGENT_ARTICLE_REVIEW,
        context={
            "article_title": article.title,
            "service_name": article.service.name,
            "due_on": due,
            "article_url": settings.BASE_URL
            + reverse("backoffice:article_edit", args=[article.pk]),
        },
        agents=agents,
    )
    article.review_reminded_for = due
    article.save(update_fields=["review_reminded_for"])
    ArticleChange.objects.create(
        article=article,
        kind=ArticleChange.Kind.REVIEW_REMINDED,
        actor=actor,
        data={"due_on": due.isoformat(), "agents": len(agents)},
    )
    return True
