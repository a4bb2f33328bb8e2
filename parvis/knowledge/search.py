"""Searching the knowledge base, through the one search module (``parvis.search``).

The index says which articles match and how well; the articles are then read here through
their visibility (``published_by_ids``), so that a stale index entry never shows a draft.
"""

from parvis.knowledge.indexing import KIND
from parvis.knowledge.models import Article
from parvis.knowledge.selectors import published_by_ids
from parvis.search.index import Hit
from parvis.search.models import Audience
from parvis.search.selectors import search_documents, suggest


def search_articles(text: str, *, limit: int = 10, for_agents: bool = False) -> list[Article]:
    """Articles best first, each with its ``score``: published ones, internal ones for agents."""
    audiences = (Audience.PUBLIC, Audience.AGENTS) if for_agents else (Audience.PUBLIC,)
    hits = search_documents(kind=KIND, text=text, limit=limit, audiences=audiences)
    return _articles(hits, for_agents)


def suggest_articles(text: str, *, limit: int = 3, for_agents: bool = False) -> list[Article]:
    """As ``search_articles``, the last word completed (a person still typing)."""
    audiences = (Audience.PUBLIC, Audience.AGENTS) if for_agents else (Audience.PUBLIC,)
    return _articles(suggest(kind=KIND, text=text, limit=limit, audiences=audiences), for_agents)


def _articles(hits: list[Hit], for_agents: bool) -> list[Article]:
    found = published_by_ids([h.object_id for h in hits], audience_agent=for_agents)
    articles = []
    for hit in hits:
        article = found.get(hit.object_id)
        if article is not None:
            article.score = hit.score  # type: ignore[attr-defined]
            articles.append(article)
    return articles
