"""The knowledge base in the search index (``parvis.search``): published articles for
everyone, internal ones for agents, drafts nowhere."""

from parvis.knowledge.models import Article


def article_reindex(article: Article) -> None:
    """Put the article in the index as it now is, or take it out (a draft)."""
