"""Reads of the search module: ranked French search and as-you-type suggestions.

Each process keeps one index per kind, built from ``SearchDocument`` rows, under the
``SEARCH`` cache version (docs/decisions/0009-shared-versioned-caches.md): an indexing
anywhere shows in every process within a second. Démarches are not stored here: the
catalogue builds its own index from its own copy (``catalog.selectors``).
"""

from collections.abc import Sequence

from parvis.core.cache_versions import SEARCH, memo
from parvis.search.index import AnalysedDocument, Hit, Index, build_index
from parvis.search.models import SearchDocument

__all__ = ["Hit", "index_of", "search_documents", "suggest"]


def search_documents(
    *, kind: str, text: str, limit: int = 10, audiences: Sequence[str] = ("public",)
) -> list[Hit]:
    """Documents of ``kind`` for ``text``, best first: accents, plurals, typos, synonyms."""
    return index_of(kind).search(text, limit=limit, audiences=audiences)


def suggest(
    *, kind: str, text: str, limit: int = 5, audiences: Sequence[str] = ("public",)
) -> list[Hit]:
    """As ``search_documents``, the last word completed: for suggestions as the person types."""
    return index_of(kind).suggest(text, limit=limit, audiences=audiences)


def index_of(kind: str) -> Index:
    """This process's index of the documents of ``kind`` (built again when one changes)."""
    return memo(SEARCH, f"index:{kind}", lambda: _load(kind))


def _load(kind: str) -> Index:
    rows = (
        SearchDocument.objects.filter(kind=kind)
        .order_by("object_id")
        .values_list(
            "object_id", "title_terms", "keyword_terms", "body_terms", "audience", "service_id"
        )
    )
    return build_index(
        AnalysedDocument(
            object_id=object_id,
            title=tuple(title.split()),
            keywords=tuple(keywords.split()),
            body=tuple(body.split()),
            audience=audience,
            service_id=service_id,
        )
        for object_id, title, keywords, body, audience, service_id in rows
    )
