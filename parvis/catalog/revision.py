"""A per-process copy of what rarely changes: the catalogue and the routing rules.

Every ticket creation needs its démarche, the démarche's fields and service, and, without a
démarche, the routing rules. Reading them on every request was a fifth of the API's time
(docs/benchmarks.md). They change a few times a year, in the admin: each process keeps what
it loaded, keyed by ``CatalogRevision.number``, which every save or delete of a service,
démarche, field or rule bumps (see ``parvis.catalog.signals``).

A process looks at the revision at most once per ``CHECK_SECONDS``; the process where the
change was made drops its copy at once. Another process may therefore answer from the
previous catalogue for up to ``CHECK_SECONDS`` after an edit (docs/decisions/0007).
"""

import threading
import time
from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.db.models import F

from parvis.catalog.models import CatalogRevision

CHECK_SECONDS = 1.0

_lock = threading.Lock()
_loaded: dict[str, tuple[int, Any]] = {}  # name → (revision, value)
_checked: list[tuple[float, int]] = []  # [(monotonic time of the check, revision seen)]


def bump() -> None:
    """Record that the catalogue changed (inside the caller's transaction)."""
    if not CatalogRevision.objects.filter(pk=1).update(number=F("number") + 1):
        CatalogRevision.objects.create(pk=1, number=1)
    forget()
    transaction.on_commit(forget)


def forget() -> None:
    """Drop this process's copies: the next read loads the catalogue again."""
    with _lock:
        _loaded.clear()
        _checked.clear()


def current() -> int:
    """The catalogue's revision, read from the database at most once per ``CHECK_SECONDS``."""
    now = time.monotonic()
    with _lock:
        if _checked and now - _checked[0][0] < CHECK_SECONDS:
            return _checked[0][1]
    number = CatalogRevision.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    with _lock:
        _checked[:] = [(now, number)]
    return number


def cached[T](name: str, load: Callable[[], T]) -> T:
    """``load()``'s result, kept until the catalogue's revision changes.

    What ``load`` returns is shared by every thread of the process: treat it as read-only.
    """
    revision = current()
    with _lock:
        entry = _loaded.get(name)
    if entry is not None and entry[0] == revision:
        return cast(T, entry[1])
    value = load()
    with _lock:
        _loaded[name] = (revision, value)
    return value
