"""Writes of the search module: what other apps give it to find.

Indexing writes derived data, not a fact of the commune: no actor, no event. Call these from
the action that changed the document, in its transaction: the index version moves when it
commits (``cache_versions.SEARCH``), so every process searches the new text within a second.
"""

from django.db import transaction

from parvis.search.index import analyse
from parvis.search.models import Audience, SearchDocument


@transaction.atomic
def document_index(
    *,
    kind: str,
    object_id: int,
    title: str,
    body: str,
    keywords: str = "",
    audience: str = Audience.PUBLIC,
    service_id: int | None = None,
) -> SearchDocument:
    """Index (or index again) one document; ``keywords`` weigh most, then ``title``, ``body``."""
    if audience not in Audience.values:
        raise ValueError(f"unknown audience {audience!r}")
    analysed = analyse(object_id=object_id, title=title, body=body, keywords=keywords)
    document, _created = SearchDocument.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={
            "audience": audience,
            "service_id": service_id,
            "title": title[:300],
            "keywords": keywords,
            "body": body,
            "title_terms": " ".join(analysed.title),
            "keyword_terms": " ".join(analysed.keywords),
            "body_terms": " ".join(analysed.body),
        },
    )
    return document


@transaction.atomic
def document_remove(*, kind: str, object_id: int) -> None:
    """Forget a document (deleted, unpublished): searches stop finding it."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


@transaction.atomic
def documents_reindex(*, kind: str | None = None) -> int:
    """Analyse every stored document again (after a change of the analysis or the word lists)."""
    documents = (
        SearchDocument.objects.all() if kind is None else SearchDocument.objects.filter(kind=kind)
    )
    changed = []
    for document in documents.iterator():
        analysed = analyse(
            object_id=document.object_id,
            title=document.title,
            body=document.body,
            keywords=document.keywords,
        )
        document.title_terms = " ".join(analysed.title)
        document.keyword_terms = " ".join(analysed.keywords)
        document.body_terms = " ".join(analysed.body)
        changed.append(document)
    SearchDocument.objects.bulk_update(
        changed, ["title_terms", "keyword_terms", "body_terms"], batch_size=500
    )
    return len(changed)
