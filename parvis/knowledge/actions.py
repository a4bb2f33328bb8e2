"""Writes on the knowledge base: every change of an article is one of these actions.

Each takes keyword-only arguments and an ``actor``, runs in one transaction, re-reads the
article under a row lock, checks that the actor may write it (a member of its owning
service), records an ``ArticleChange`` and keeps the search index in step (the index is
part of the article's data, in the same database: written in the same transaction, so a
search never finds what the public may no longer read).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parvis.accounts.models import User
from parvis.catalog.models import RequestType, Service
from parvis.knowledge import indexing
from parvis.knowledge.markdown import render_markdown
from parvis.knowledge.models import (
    COMMENT_LENGTH,
    Article,
    ArticleChange,
    ArticleFeedback,
    ArticleFile,
    Category,
    Source,
)
from parvis.knowledge.permissions import check_may_edit
from parvis.tickets.files import CheckedFile


@dataclass(frozen=True)
class ArticleContent:
    """What an agent writes in an article's form."""

    title: str
    summary: str
    body: str
    category: Category
    service: Service
    keywords: str = ""
    review_every_days: int = 365
    request_types: tuple[RequestType, ...] = ()


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().select_related("service").get(pk=article.pk)


def _record(article: Article, kind: str, actor: User | None, **data: object) -> None:
    ArticleChange.objects.create(article=article, kind=kind, actor=actor, data=data)


def _apply(article: Article, content: ArticleContent) -> None:
    article.title = content.title.strip()
    article.summary = content.summary.strip()
    article.body = content.body.strip()
    article.body_html = render_markdown(article.body)
    article.category = content.category
    article.service = content.service
    article.keywords = content.keywords.strip()
    article.review_every_days = content.review_every_days


@transaction.atomic
def article_create(
    *,
    actor: User,
    slug: str,
    content: ArticleContent,
    state: str = Article.State.DRAFT,
) -> Article:
    """A new article of ``content.service``, a draft unless said otherwise."""
    check_may_edit(actor, content.service.pk)
    now = timezone.now()
    article = Article(slug=slug, state=state, updated_by=actor, created_at=now, updated_at=now)
    _apply(article, content)
    if state != Article.State.DRAFT:
        article.published_at = now
    article.last_reviewed_on = timezone.localdate(now)
    article.save()
    article.request_types.set(content.request_types)
    _record(article, ArticleChange.Kind.CREATED, actor, state=state)
    indexing.article_reindex(article)
    return article


@transaction.atomic
def article_update(*, article: Article, actor: User, content: ArticleContent) -> Article:
    """Change an article's text and settings; moving it to another service needs both."""
    article = _locked(article)
    check_may_edit(actor, article.service_id)
    if content.service.pk != article.service_id:
        check_may_edit(actor, content.service.pk)
    _apply(article, content)
    article.updated_at = timezone.now()
    article.updated_by = actor
    article.edited_locally = article.edited_locally or article.source != Source.LOCAL
    article.save()
    article.request_types.set(content.request_types)
    _record(article, ArticleChange.Kind.UPDATED, actor)
    indexing.article_reindex(article)
    return article


@transaction.atomic
def article_set_state(*, article: Article, actor: User, state: str) -> Article:
    """Publish, make internal or take back to draft."""
    article = _locked(article)
    check_may_edit(actor, article.service_id)
    if state not in Article.State.values:
        raise ValueError(state)
    if article.state == state:
        return article
    previous = article.state
    article.state = state
    now = timezone.now()
    if state == Article.State.PUBLISHED and article.published_at is None:
        article.published_at = now
    article.updated_at = now
    article.updated_by = actor
    article.save(update_fields=["state", "published_at", "updated_at", "updated_by"])
    _record(article, ArticleChange.Kind.STATE, actor, previous=previous, state=state)
    indexing.article_reindex(article)
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, actor: User) -> Article:
    """An agent read the article again and found it right: its review clock starts again."""
    article = _locked(article)
    check_may_edit(actor, article.service_id)
    article.last_reviewed_on = timezone.localdate()
    article.save(update_fields=["last_reviewed_on"])
    _record(article, ArticleChange.Kind.REVIEWED, actor)
    return article


@transaction.atomic
def article_attach_file(*, article: Article, actor: User, checked: CheckedFile) -> ArticleFile:
    """Attach a file that passed ``tickets.files.check_file`` (the one check of every file)."""
    article = _locked(article)
    check_may_edit(actor, article.service_id)
    attached = ArticleFile(
        article=article,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
    )
    attached.file.save(checked.name, checked.content, save=False)
    attached.save()
    _record(article, ArticleChange.Kind.FILE_ADDED, actor, file_id=attached.pk)
    return attached


@transaction.atomic
def article_remove_file(*, article: Article, actor: User, file_id: int) -> None:
    article = _locked(article)
    check_may_edit(actor, article.service_id)
    attached = ArticleFile.objects.filter(article=article, pk=file_id).first()
    if attached is None:
        return
    stored, storage = attached.file.name or "", attached.file.storage
    attached.delete()
    # The bytes go once the row is gone for good: a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
    _record(article, ArticleChange.Kind.FILE_REMOVED, actor, file_id=file_id)


def article_record_view(*, article_id: int) -> None:
    """One more reading: one UPDATE, no lock held, no row read (F() adds in the database)."""
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


@transaction.atomic
def article_record_feedback(*, article_id: int, helpful: bool, comment: str = "") -> None:
    """« Cet article vous a-t-il aidé ? »: the count moves, the comment (if any) is kept.

    Nothing about who answered is stored (``ArticleFeedback``).
    """
    field = "helpful_yes" if helpful else "helpful_no"
    Article.objects.filter(pk=article_id).update(**{field: F(field) + 1})
    ArticleFeedback.objects.create(
        article_id=article_id, helpful=helpful, comment=comment.strip()[:COMMENT_LENGTH]
    )


def request_types_by_slug(slugs: Iterable[str]) -> list[RequestType]:
    return list(RequestType.objects.filter(slug__in=list(slugs)))
