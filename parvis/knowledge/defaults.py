"""Installing the default knowledge base (``parvis load-catalog``), keeping local edits.

A missing category or article is created; an article already installed is brought up to
date with the file when the file changed and nobody edited the article since; an edited one
is kept as it is, and the report names it, so that the administrator knows which texts did
not follow the file.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from parvis.accounts.selectors import system_actor
from parvis.catalog.models import RequestType, Service
from parvis.knowledge import indexing
from parvis.knowledge.data import ArticleDefinition, default_articles
from parvis.knowledge.markdown import render_markdown
from parvis.knowledge.models import Article, ArticleChange, Category, Source


@dataclass
class LoadReport:
    """What a load did: counts, and the slugs of the articles kept as edited."""

    categories: int = 0
    created: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)


@transaction.atomic
def knowledge_load_defaults() -> LoadReport:
    """Install or refresh the default articles; an article edited here is never overwritten."""
    kb = default_articles()
    report = LoadReport()
    actor = system_actor()
    categories = {c.slug: c for c in Category.objects.all()}
    for position, heading in enumerate(kb.categories):
        if heading.slug not in categories:
            categories[heading.slug] = Category.objects.create(
                slug=heading.slug,
                name=heading.name,
                description=heading.description,
                position=position,
            )
            report.categories += 1
    services = {s.slug: s for s in Service.objects.all()}
    types = {t.slug: t for t in RequestType.objects.all()}
    existing = {a.slug: a for a in Article.objects.select_for_update()}
    for definition in kb.articles:
        service = services.get(definition.service)
        if service is None:  # the commune removed or renamed that service: nothing to own it
            continue
        article = existing.get(definition.slug)
        linked = [types[s] for s in definition.request_types if s in types]
        if article is None:
            article = Article(slug=definition.slug, state=Article.State.PUBLISHED)
            article.published_at = timezone.now()
            article.last_reviewed_on = timezone.localdate()
            _fill(article, definition, categories[definition.category], service)
            article.save()
            article.request_types.set(linked)
            ArticleChange.objects.create(
                article=article, kind=ArticleChange.Kind.CREATED, actor=actor, data={}
            )
            report.created += 1
        elif article.source != Source.DEFAULT or article.edited_locally:
            if article.source_digest != definition.digest:
                report.kept.append(article.slug)
            continue
        elif article.source_digest != definition.digest:
            _fill(article, definition, categories[definition.category], service)
            article.updated_at = timezone.now()
            article.save()
            article.request_types.set(linked)
            ArticleChange.objects.create(
                article=article, kind=ArticleChange.Kind.IMPORTED, actor=actor, data={}
            )
            report.updated += 1
        else:
            continue
        indexing.article_reindex(article)
    return report


def _fill(
    article: Article, definition: ArticleDefinition, category: Category, service: Service
) -> None:
    article.title = definition.title
    article.summary = definition.summary
    article.keywords = definition.keywords
    article.body = definition.body
    article.body_html = render_markdown(definition.body)
    article.category = category
    article.service = service
    article.source = Source.DEFAULT
    article.source_id = definition.slug
    article.source_digest = definition.digest
