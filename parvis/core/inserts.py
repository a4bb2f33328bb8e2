"""INSERT statements written once per model, for the hot path of ticket creation.

``Model.save()`` and ``bulk_create()`` compile their INSERT through the ORM on every call:
for a ticket, its two events and a new requester, that compilation was a fifth of the
creation's Python time (docs/benchmarks.md). ``insert`` writes the statement once per model
and number of rows, and prepares each value exactly as the ORM does (``pre_save`` for
``auto_now`` fields, ``get_db_prep_save`` for the database's types), then sends the model's
``pre_save`` and ``post_save`` signals as ``save()`` would.

For new objects of plain models only: no multi-table inheritance, no field with its own SQL
placeholder (binary, geographic).
"""

import functools
from collections.abc import Sequence

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.db.models.signals import post_save, pre_save

_AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)


def insert[M: Model](objects: Sequence[M]) -> None:
    """INSERT these new objects, all of one model, in one statement; set their primary keys."""
    if not objects:
        return
    model = type(objects[0])
    using = router.db_for_write(model)
    connection = connections[using]
    fields = _fields(model)
    for obj in objects:
        if pre_save.has_listeners(model):
            pre_save.send(model, instance=obj, raw=False, using=using, update_fields=None)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objects
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(model, len(objects), connection.alias), params)
        keys = cursor.fetchall()
    pk = model._meta.pk
    assert pk is not None
    for obj, (key,) in zip(objects, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = using
        if post_save.has_listeners(model):
            post_save.send(
                model, instance=obj, created=True, raw=False, using=using, update_fields=None
            )


@functools.cache
def _fields(model: type[Model]) -> list[Field[object, object]]:
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, _AUTO_FIELDS)]
    if model._meta.parents or any(hasattr(f, "get_placeholder_sql") for f in fields):
        raise TypeError(f"insert() cannot write {model.__name__}: use save().")
    return fields


@functools.cache
def _statement(model: type[Model], rows: int, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    fields = _fields(model)
    pk = model._meta.pk
    assert pk is not None
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 - the model's names
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(str(pk.column))}"
    )
