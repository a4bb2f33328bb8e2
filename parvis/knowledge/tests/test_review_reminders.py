"""Review reminders: the owning service's agents are told once per due date."""

import datetime

import time_machine

from parvis.knowledge.actions import article_mark_reviewed
from parvis.knowledge.models import Article
from parvis.knowledge.reviews import article_review_reminders_send
from parvis.notifications.models import Mail, Template


def _due(article: Article) -> datetime.date:
    article.refresh_from_db()
    return article.review_due_on


def test_the_service_is_reminded_once_when_an_article_is_due(
    write_article, make_agent, kb_civil_status_agent
):
    colleague = make_agent("etat-civil", email="colleague@mairie.test")
    make_agent("urbanisme", email="other@mairie.test")
    article = write_article(review_every_days=30)
    due = _due(article)
    assert article_review_reminders_send(today=due - datetime.timedelta(days=1)) == 0
    assert article_review_reminders_send(today=due) == 1
    assert article_review_reminders_send(today=due + datetime.timedelta(days=3)) == 0
    mails = Mail.objects.filter(template=Template.AGENT_ARTICLE_REVIEW)
    assert sorted(m.to for m in mails) == sorted([kb_civil_status_agent.email, colleague.email])
    mail = mails.first()
    assert mail is not None and mail.is_for_agents and mail.ticket is None
    assert "Horaires du cimetière" in mail.subject
    assert f"/agents/fiches/{article.pk}/" in mail.body


def test_a_review_moves_the_due_date_and_the_next_one_is_reminded_again(
    write_article, kb_civil_status_agent
):
    article = write_article(review_every_days=30)
    first_due = _due(article)
    assert article_review_reminders_send(today=first_due) == 1
    with time_machine.travel(datetime.datetime.combine(first_due, datetime.time(10)), tick=False):
        article_mark_reviewed(article=article, actor=kb_civil_status_agent)
    second_due = _due(article)
    assert second_due == first_due + datetime.timedelta(days=30)
    assert article_review_reminders_send(today=second_due) == 1


def test_drafts_are_not_reminded(write_article):
    article = write_article(state=Article.State.DRAFT, review_every_days=7)
    assert article_review_reminders_send(today=_due(article) + datetime.timedelta(days=1)) == 0
