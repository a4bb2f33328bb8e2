"""Searching the knowledge base, through the one search module (``parvis.search``)."""

from parvis.knowledge.models import Article


def search_articles(text: str, *, limit: int = 10, for_agents: bool = False) -> list[Article]:
    """Articles best first, each with its ``score``: published ones, internal ones for agents."""
    return []
