"""What the public sees of an article, kept in step: its entry in the search index
(``parvis.search``: published articles for everyone, internal ones for agents, drafts
nowhere) and the version of the portal's list of categories (``cache_versions.KNOWLEDGE``).

Called by every knowledge action that changes what an article says or who may read it, in
its transaction (``search.actions``): a search never finds an article the public may no
longer read, and finds a new text within a second of the commit.
"""

from parvis.core.cache_versions import KNOWLEDGE, bump
from parvis.knowledge.markdown import plain_text
from parvis.knowledge.models import Article
from parvis.search.actions import document_index, document_remove
from parvis.search.models import Audience

KIND = "article"

_AUDIENCES = {Article.State.PUBLISHED: Audience.PUBLIC, Article.State.INTERNAL: Audience.AGENTS}


def article_reindex(article: Article) -> None:
    """Put the article in the index as it now is, or take it out (a draft)."""
    bump(KNOWLEDGE)
    audience = _AUDIENCES.get(Article.State(article.state))
    if audience is None:
        document_remove(kind=KIND, object_id=article.pk)
        return
    document_index(
        kind=KIND,
        object_id=article.pk,
        title=article.title,
        # The summary reads as the body's first sentence; the keywords weigh most.
        body=f"{article.summary}\n{plain_text(article.body)}",
        keywords=article.keywords,
        audience=audience,
        service_id=article.service_id,
    )
