"""One row read by a statement written once per model: for lookups made on every request.

The ORM builds and compiles its SELECT on every call, 0.3 – 0.5 ms of Python; the same
statement written once and read into a model object costs about 0.1 ms (docs/benchmarks.md).
Used where that matters: the API token, the requester of each new ticket.
"""

import functools
from typing import Any

from django.db import connections, router
from django.db.models import Model


def first_row[M: Model](
    model: type[M], where: str, params: list[str | int], order_by: str = ""
) -> M | None:
    """``SELECT`` the model's columns ``WHERE where [ORDER BY order_by] LIMIT 1``, as an object.

    ``where`` and ``order_by`` are SQL written by the caller, with ``%s`` for the values.
    """
    using = router.db_for_read(model)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_statement(model, where, order_by, using), params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, converters in _converters(model, using):
        for convert in converters:  # what the ORM applies: SQLite's dates, JSON, booleans…
            values[index] = convert(values[index], column, connection)
    return model.from_db(using, _attnames(model), values)


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _converters(model: type[Model], alias: str) -> list[tuple[int, Any, list[Any]]]:
    connection = connections[alias]
    result = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            result.append((index, column, converters))
    return result


@functools.cache
def _statement(model: type[Model], where: str, order_by: str, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(f"{table}.{quote(str(f.column))}" for f in model._meta.concrete_fields)
    order = f" ORDER BY {order_by}" if order_by else ""
    return f"SELECT {columns} FROM {table} WHERE {where}{order} LIMIT 1"  # noqa: S608 - ours
