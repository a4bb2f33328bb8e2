"""Named versions in the shared cache, and what each process keeps until its version changes.

What rarely changes and is read on every request — the commune, the catalogue and its routing
rules — is kept by each process (``memo``), under the version of its name at the time it was
loaded. The version lives in the cache shared by every process (Redis, or a database table
on one machine: docs/decisions/0009-shared-versioned-caches.md) and gets a new number once a
change is committed (``bump``). A process reads the version at most once per
``CHECK_SECONDS``, so an edit shows on every worker within a second.

- A version is read before its value is loaded, and moves only after the change is
  committed: a value kept under a version was never older than that version.
- A missing version (the cache was flushed, or evicted the key) starts again from the clock
  in nanoseconds, a number no earlier version had: nothing kept before is served again.
- Until its transaction commits, the thread that made a change reads it afresh (its
  transaction sees its own writes) and keeps nothing; the other threads go on with the
  committed copy. A rolled-back change was therefore never kept anywhere.
- What ``memo`` keeps is shared by every thread of the process: tuples, frozen dataclasses,
  strings — never a model instance (see ``parvis.core.snapshots``).

Every write through the ORM bumps: ``save()`` and ``delete()`` by the signals that ``track``
connects, ``QuerySet.update``, ``bulk_create`` and ``bulk_update`` by ``VersionedQuerySet``,
and every ``migrate`` (data migrations use historical models, which have neither) by a
``post_migrate`` receiver. Only SQL typed by hand is left: follow it with ``bump(...)``.
"""

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

CATALOGUE = "catalogue"  # services, démarches and their fields, routing rules, mailboxes
COMMUNE = "commune"  # the commune's identity
CLASSIFIER = "classifier"  # the triage classifier in use (routing.models.ClassifierVersion)
SEARCH = "search"  # the documents of the search module (parvis.search.models)
KNOWLEDGE = "knowledge"  # the knowledge base's categories and what is published in them
CALENDAR = "calendar"  # the business calendars: settings, opening hours, closures (parvis.sla)
ACCESS = "access"  # who an API key is, and the services they belong to (ADR 0031)
NAMES = (CATALOGUE, COMMUNE, CLASSIFIER, SEARCH, KNOWLEDGE, CALENDAR, ACCESS)

# Below one second, so that an edit shows everywhere within a second, load time included.
CHECK_SECONDS = 0.5

_seen: dict[str, tuple[float, int]] = {}  # name → (time of the check, version then)
_kept: dict[tuple[str, str], tuple[int, object]] = {}  # (name, key) → (version, value)
_tracked: dict[type[models.Model], str] = {}  # model → the name its writes bump
_this_thread = threading.local()  # .changed: names this thread's open transaction changed


def memo[T](name: str, key: str, load: Callable[[], T]) -> T:
    """``load()``'s result, kept by this process until the version ``name`` changes.

    What ``load`` returns is shared by every thread: it must be immutable.
    """
    if _changed_here(name):
        return load()
    version = current(name)
    entry = _kept.get((name, key))
    if entry is not None and entry[0] == version:
        return cast(T, entry[1])
    value = load()
    _kept[(name, key)] = (version, value)
    return value


def current(name: str) -> int:
    """The version ``name`` has in the shared cache, read at most once per ``CHECK_SECONDS``."""
    now = time.monotonic()
    seen = _seen.get(name)
    if seen is not None and now - seen[0] < CHECK_SECONDS:
        return seen[1]
    version = cast(int, cache.get_or_set(_key(name), time.time_ns, timeout=None))
    _seen[name] = (now, version)
    return version


def bump(*names: str) -> None:
    """Give these versions new numbers once the current transaction commits (outside one: now)."""
    if transaction.get_connection().in_atomic_block:
        _changed_names().update(names)
    transaction.on_commit(lambda: _increment(names))


def forget() -> None:
    """Drop what this process keeps and the versions it saw (tests: each starts afresh)."""
    _seen.clear()
    _kept.clear()
    _changed_names().clear()


def track(name: str, *tracked: type[models.Model]) -> None:
    """Bump ``name`` on every write to these models (their default manager must be versioned)."""
    for model in tracked:
        if not isinstance(model._default_manager.all(), VersionedQuerySet):
            raise TypeError(f"{model.__name__}.objects must come from VersionedQuerySet")
        _tracked[model] = name
        uid = f"cache-version-{model._meta.label_lower}"
        post_save.connect(_row_written, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"{uid}-delete")


def bump_all(**kwargs: Any) -> None:
    """``post_migrate`` receiver: a migration may have changed anything, with no signal sent."""
    bump(*NAMES)


class VersionedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset whose bulk writes bump the version of its model: they send no signal."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        self._bump()
        return rows

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        self._bump()
        return created

    def bulk_update(
        self, objs: Iterable[M], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        self._bump()
        return rows

    def _bump(self) -> None:
        name = _tracked.get(self.model)
        if name is not None:
            bump(name)


def _row_written(sender: type[models.Model], **kwargs: Any) -> None:
    bump(_tracked[sender])


def _increment(names: Iterable[str]) -> None:
    for name in names:
        try:
            cache.incr(_key(name))
        except ValueError:  # no version any more: start again where no earlier one was
            cache.add(_key(name), time.time_ns(), timeout=None)
        _seen.pop(name, None)  # this process sees its own edit at once
        _changed_names().discard(name)


def _changed_here(name: str) -> bool:
    changed = _changed_names()
    if not changed:
        return False
    if transaction.get_connection().in_atomic_block:
        return name in changed
    changed.clear()  # the transaction is over: committed (and bumped) or rolled back
    return False


def _changed_names() -> set[str]:
    changed: set[str] | None = getattr(_this_thread, "changed", None)
    if changed is None:
        changed = _this_thread.changed = set()
    return changed


def _key(name: str) -> str:
    return f"parvis:version:{name}"
