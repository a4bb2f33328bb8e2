"""One French search for citizens and agents (docs/search.md, docs/decisions/0022-search.md).

A domain app: it imports no interface app. Same results on SQLite and PostgreSQL.

Documents (knowledge-base articles, or any other kind an app gives it)::

    from parvis.search.actions import document_index, document_remove
    document_index(kind="article", object_id=article.pk, title=..., body=...,
                   keywords="...", audience="public" | "agents", service_id=None)
    document_remove(kind="article", object_id=article.pk)

    from parvis.search.selectors import search_documents, suggest, Hit
    search_documents(kind="article", text="pasport", limit=10,
                     audiences=("public",)) -> list[Hit(object_id, score)]   # best first
    suggest(kind="article", text="renouv", limit=5, audiences=("public",)) -> list[Hit]

  Call ``document_index`` / ``document_remove`` in the transaction of the action that
  changed the document; every process searches the new text within a second of the commit.
  Keywords (search words, synonyms) weigh most, then the title, then the body. Any word may
  match; accents, case, plurals and conjugations, stop words, small typos and SMS
  spellings are handled; the everyday words of ``data/vocabulary.yaml`` add the words they
  mean ("poubelles" → déchets). ``documents_reindex()`` analyses everything again.

Any list of documents held elsewhere (the démarches, kept by the catalogue)::

    from parvis.search.index import analyse, build_index
    index = build_index(analyse(object_id=..., title=..., body=..., keywords=...) for ...)
    index.search(text, limit=10) / index.suggest(text, limit=5)

Tickets, for agents::

    from parvis.search.ticket_search import ticket_search
    ticket_search(visible_tickets, text, indexed_order=) -> TicketSearch  # narrows, never widens
"""
