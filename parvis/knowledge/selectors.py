"""Reads of the knowledge base, each with its visibility: the public reads published
articles only; agents read every published and internal article, and the drafts of their
own services; writing is checked by ``article_for_editor``.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from parvis.accounts.models import User
from parvis.core.cache_versions import KNOWLEDGE, memo
from parvis.knowledge.models import Article, ArticleChange, ArticleFile, Category
from parvis.knowledge.permissions import check_may_edit
from parvis.tickets.selectors import member_service_ids


def public_articles() -> QuerySet[Article]:
    """Published articles, the only ones a citizen may read."""
    return Article.objects.filter(state=Article.State.PUBLISHED)


@dataclass(frozen=True)
class CategoryRow:
    """A category as the portal lists it, with its number of published articles."""

    slug: str
    name: str
    description: str
    article_count: int


def public_categories() -> tuple[CategoryRow, ...]:
    """Categories with at least one published article (kept by each process under the
    knowledge base's version: the portal's home reads them without a query)."""
    return memo(KNOWLEDGE, "public-categories", _public_categories)


def _public_categories() -> tuple[CategoryRow, ...]:
    rows = (
        Category.objects.annotate(
            article_count=Count("articles", filter=Q(articles__state=Article.State.PUBLISHED))
        )
        .filter(article_count__gt=0)
        .order_by("position", "name")
        .values_list("slug", "name", "description", "article_count")
    )
    return tuple(CategoryRow(*row) for row in rows)


def public_category(slug: str) -> tuple[Category, list[Article]]:
    """A category and its published articles (two queries); 404 if it shows nothing."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404
    articles = list(public_articles().filter(category=category).order_by("title"))
    if not articles:
        raise Http404
    return category, articles


def public_article(slug: str) -> Article:
    """A published article with its category, service and files; 404 for any other state."""
    article = (
        public_articles()
        .select_related("category", "service")
        .prefetch_related(Prefetch("files", queryset=ArticleFile.objects.order_by("pk")))
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404
    return article


def public_article_file(slug: str, file_id: int) -> ArticleFile:
    found = ArticleFile.objects.filter(
        pk=file_id, article__slug=slug, article__state=Article.State.PUBLISHED
    ).first()
    if found is None:
        raise Http404
    return found


def articles_for_request_type(request_type_id: int, *, limit: int = 5) -> list[Article]:
    """The published articles linked to a démarche, for its page (one query)."""
    return list(
        public_articles()
        .filter(request_types__id=request_type_id)
        .order_by("title")
        .only("slug", "title", "summary")[:limit]
    )


def published_by_ids(ids: list[int], *, audience_agent: bool = False) -> dict[int, Article]:
    """Articles found by the search index, re-checked here: the index is never trusted alone."""
    states = [Article.State.PUBLISHED]
    if audience_agent:
        states.append(Article.State.INTERNAL)
    articles = Article.objects.filter(pk__in=ids, state__in=states).select_related("category")
    return {a.pk: a for a in articles}


@dataclass(frozen=True)
class AgentListFilter:
    """The back office's list of articles: which services, which state, what title."""

    mine_only: bool = True
    state: str = ""
    text: str = ""


def articles_for_agent(user: User, wanted: AgentListFilter) -> QuerySet[Article]:
    """What an agent may see in the back office: published and internal articles of every
    service, drafts of their own services (every draft for a superuser)."""
    own = member_service_ids(user)
    articles = Article.objects.select_related("category", "service").order_by(
        "service__position", "category__position", "title"
    )
    if not user.is_superuser:
        articles = articles.filter(~Q(state=Article.State.DRAFT) | Q(service_id__in=own))
    if wanted.mine_only and not user.is_superuser:
        articles = articles.filter(service_id__in=own)
    if wanted.state in Article.State.values:
        articles = articles.filter(state=wanted.state)
    if wanted.text:
        articles = articles.filter(title__icontains=wanted.text)
    return articles


def article_for_editor(user: User, pk: int) -> Article:
    """An article an agent is about to change: 404 if it does not exist, 403 if not theirs."""
    article = (
        Article.objects.select_related("category", "service")
        .prefetch_related("request_types", "files")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404
    check_may_edit(user, article.service_id)
    return article


def article_history(article: Article, *, limit: int = 20) -> list[ArticleChange]:
    return list(article.changes.select_related("actor")[:limit])
