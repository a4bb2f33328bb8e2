"""Importing service-public.fr fiches as articles (``parvis kb import-dila``).

A fiche becomes an article marked with its source (``Source.DILA``), its id (``F1427``),
its date and its address; importing it again updates that article (matched by its id,
never duplicated) when the fiche changed, unless an agent edited the article since: their
text is kept, and the import says so.
"""

from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.knowledge import indexing
from parvis.knowledge.dila import Fiche
from parvis.knowledge.markdown import render_markdown
from parvis.knowledge.models import Article, ArticleChange, Category, Source

DILA_CATEGORY_SLUG = "service-public"


class Outcome(StrEnum):
    """What importing one fiche did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # edited here since its last import: left as the agent wrote it


def dila_category() -> Category:
    """The category imported fiches go to unless told otherwise (created the first time)."""
    category, _created = Category.objects.get_or_create(
        slug=DILA_CATEGORY_SLUG,
        defaults={
            "name": "Fiches pratiques service-public.fr",  # i18n: ignore — content
            "description": "Fiches de l'État, mises à jour par lui.",  # i18n: ignore — content
            "position": 100,
        },
    )
    return category


@transaction.atomic
def article_import_fiche(
    *, fiche: Fiche, category: Category, service: Service, actor: User, state: str
) -> Outcome:
    """Create or update the article of one fiche."""
    article = (
        Article.objects.select_for_update().filter(source=Source.DILA, source_id=fiche.id).first()
    )
    now = timezone.now()
    if article is None:
        article = Article(
            slug=_free_slug(f"sp-{fiche.id.lower()}"),
            state=state,
            category=category,
            service=service,
            source=Source.DILA,
            source_id=fiche.id,
            created_at=now,
            published_at=now if state != Article.State.DRAFT else None,
            last_reviewed_on=fiche.date or timezone.localdate(now),
        )
        outcome = Outcome.CREATED
    elif article.edited_locally:
        return Outcome.KEPT if article.source_digest != fiche.digest else Outcome.UNCHANGED
    elif article.source_digest == fiche.digest and article.source_date == fiche.date:
        return Outcome.UNCHANGED
    else:
        outcome = Outcome.UPDATED
        # The State's newer text is a review of its own.
        article.last_reviewed_on = fiche.date or timezone.localdate(now)
    article.title = fiche.title
    article.summary = fiche.description
    article.body = fiche.body
    article.body_html = render_markdown(fiche.body)
    article.source_date = fiche.date
    article.source_url = fiche.url
    article.source_digest = fiche.digest
    article.updated_at = now
    article.updated_by = actor
    article.save()
    ArticleChange.objects.create(
        article=article,
        kind=ArticleChange.Kind.IMPORTED,
        actor=actor,
        data={"source_id": fiche.id, "date": fiche.date.isoformat() if fiche.date else None},
    )
    indexing.article_reindex(article)
    return outcome


def _free_slug(base: str) -> str:
    slug, number = base, 1
    while Article.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
