"""The default knowledge base, read from ``default_articles.yaml`` and checked before any use.

What the file describes (its header says how to write it): the categories and the articles
a typical commune publishes, each owned by a service of the default catalogue and linked to
its démarches. ``knowledge.actions.knowledge_load_defaults`` installs it.

The check refuses, with the file and the path of the entry: a slug that is not one (lower
case, digits, hyphens) or given twice; an article naming an unknown category, a service or
a démarche the default catalogue lacks; an empty title or body, a title or summary longer
than its column. Django-free, like the catalogue's reader.
"""

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from parvis.catalog.data import default_catalog
from parvis.core.datafiles import Entry, read_yaml, refuse_repeat

ARTICLES_FILE = Path(__file__).with_name("default_articles.yaml")

# The columns' sizes (knowledge.models): SQLite would store longer, PostgreSQL refuses.
SLUG_LENGTH = 80
CATEGORY_NAME_LENGTH = 120
DESCRIPTION_LENGTH = 300
TITLE_LENGTH = 200
SUMMARY_LENGTH = 300
KEYWORDS_LENGTH = 300

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_RULE = "minuscules sans accents, chiffres, tirets"


@dataclass(frozen=True)
class CategoryDefinition:
    """A heading of the knowledge base."""

    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class ArticleDefinition:
    """A default article: its text, its service, its démarches."""

    slug: str
    category: str
    service: str
    title: str
    summary: str
    keywords: str
    request_types: tuple[str, ...]
    body: str

    @property
    def digest(self) -> str:
        """A fingerprint of what the file says, to tell later whether the file changed."""
        text = "\x1f".join(
            [self.title, self.summary, self.keywords, self.body, self.category, self.service]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole file, checked."""

    categories: tuple[CategoryDefinition, ...]
    articles: tuple[ArticleDefinition, ...]


@functools.cache
def default_articles() -> KnowledgeBase:
    """The shipped file, read and checked once per process."""
    return knowledge_from_document(read_yaml(ARTICLES_FILE), source=ARTICLES_FILE.name)


def knowledge_from_document(document: object, *, source: str) -> KnowledgeBase:
    root = Entry(source, "", document).mapping(["categories", "articles"])
    seen_categories: dict[str, str] = {}
    categories = tuple(
        _category(entry, seen_categories) for entry in root["categories"].sequence(empty=False)
    )
    catalog = default_catalog()
    services = {s.slug for s in catalog.services}
    request_types = {t.slug for t in catalog.request_types}
    seen_articles: dict[str, str] = {}
    articles = tuple(
        _article(entry, seen_articles, set(seen_categories), services, request_types)
        for entry in root["articles"].sequence(empty=False)
    )
    return KnowledgeBase(categories=categories, articles=articles)


def _slug(entry: Entry, seen: dict[str, str]) -> str:
    slug = entry.identifier(_SLUG, _SLUG_RULE, max_length=SLUG_LENGTH)
    refuse_repeat(seen, entry, slug)
    return slug


def _category(entry: Entry, seen: dict[str, str]) -> CategoryDefinition:
    data = entry.mapping(["slug", "name"], {"description": ""})
    return CategoryDefinition(
        slug=_slug(data["slug"], seen),
        name=data["name"].text(max_length=CATEGORY_NAME_LENGTH),
        description=data["description"].text(blank=True, max_length=DESCRIPTION_LENGTH),
    )


def _article(
    entry: Entry,
    seen: dict[str, str],
    categories: set[str],
    services: set[str],
    request_types: set[str],
) -> ArticleDefinition:
    data = entry.mapping(
        ["slug", "category", "service", "title", "body"],
        {"summary": "", "keywords": "", "request_types": []},
    )
    linked = []
    for item in data["request_types"].sequence():
        slug = item.text()
        if slug not in request_types:
            raise item.error(f"« {slug} » n'est pas une démarche du catalogue par défaut")
        linked.append(slug)
    return ArticleDefinition(
        slug=_slug(data["slug"], seen),
        category=data["category"].one_of(sorted(categories), "une catégorie de ce fichier"),
        service=data["service"].one_of(sorted(services), "un service du catalogue par défaut"),
        title=data["title"].text(max_length=TITLE_LENGTH),
        summary=data["summary"].text(blank=True, max_length=SUMMARY_LENGTH),
        keywords=data["keywords"].text(blank=True, max_length=KEYWORDS_LENGTH),
        request_types=tuple(linked),
        body=data["body"].text(),
    )
