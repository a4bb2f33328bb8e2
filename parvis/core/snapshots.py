"""Model rows as immutable values: what a process may keep and share between its threads.

A model instance kept by a process and handed to every thread is shared mutable state: an
attribute set, a prefetch or a memo made while serving one request shows in every other.
A process keeps a ``Row`` instead — the model and its column values in a tuple — and gives
each caller an instance of its own, built as the ORM builds one from a query.
"""

import functools
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, models


@dataclass(frozen=True, slots=True)
class Row[M: models.Model]:
    """One row of ``model``: its concrete fields' values, in the model's order."""

    model: type[M]
    values: tuple[object, ...]

    @classmethod
    def of(cls, instance: M) -> "Row[M]":
        model = type(instance)
        return cls(model, tuple(getattr(instance, attname) for attname in _attnames(model)))

    def instance(self) -> M:
        """A new instance, as if just read from the database."""
        return self.model.from_db(DEFAULT_DB_ALIAS, _attnames(self.model), self.values)


def set_prefetched(instance: models.Model, relation: str, related: list[models.Model]) -> None:
    """Give ``instance`` the reverse relation ``relation`` as ``prefetch_related`` leaves it.

    ``instance.<relation>.all()`` then returns ``related`` without a query, and each of them
    points back at ``instance``; a ``.filter()`` on it still queries this instance's rows only.
    """
    reverse = instance._meta.get_field(relation)
    assert isinstance(reverse, models.ManyToOneRel)
    queryset = getattr(instance, relation).get_queryset()  # filtered on this instance
    for item in related:
        setattr(item, reverse.field.name, instance)
    # What django.db.models.query.prefetch_one_level stores.
    queryset._result_cache = related
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[reverse.accessor_name] = queryset


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)
