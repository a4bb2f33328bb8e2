"""The stored search vector of a ticket or a message, for ``GeneratedField`` columns.

On PostgreSQL, ``to_tsvector('parvis_french', …)`` of the columns, kept by the database
itself on every write (no code path can forget it) and indexed with GIN (migration 0003):
a search reads stored vectors, never computes one per row. Elsewhere NULL: SQLite searches
normalised text (``ticket_search``). Imports no model: ``tickets.models`` uses it.
"""

from typing import Any

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Func

from parvis.search.database import TEXT_SEARCH_CONFIG


class FrenchVector(Func):
    """``to_tsvector('parvis_french', a || ' ' || b …)`` on PostgreSQL, NULL elsewhere."""

    output_field = SearchVectorField()

    def __init__(self, *fields: str) -> None:
        self.fields = fields
        super().__init__(SearchVector(*fields, config=TEXT_SEARCH_CONFIG))

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return "NULL", ()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return compiler.compile(self.source_expressions[0])
