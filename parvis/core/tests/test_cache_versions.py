"""Versions in the shared cache, and what a process keeps under them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import transaction

from parvis.catalog.models import Service
from parvis.core import cache_versions
from parvis.core.cache_versions import CATALOGUE, NAMES, bump, current, memo
from parvis.routing.decide import route
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db


class Loader:
    """A load function that counts its calls and returns the count."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def kept(load: Callable[[], int]) -> int:
    return memo(CATALOGUE, "test", load)


def test_a_value_is_loaded_once_per_version(django_capture_on_commit_callbacks: Any) -> None:
    load = Loader()
    assert (kept(load), kept(load)) == (1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        bump(CATALOGUE)

    assert (kept(load), kept(load)) == (2, 2)


def test_a_version_moves_only_once_the_change_is_committed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = current(CATALOGUE)
    with django_capture_on_commit_callbacks() as callbacks:
        bump(CATALOGUE)
        assert cache.get("parvis:version:catalogue") == before
    assert current(CATALOGUE) == before

    for callback in callbacks:
        callback()
    assert current(CATALOGUE) == before + 1


def test_the_thread_that_changed_reads_afresh_and_keeps_nothing_until_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    load = Loader()
    kept(load)
    with django_capture_on_commit_callbacks(execute=True):
        bump(CATALOGUE)
        assert (kept(load), kept(load)) == (2, 3)  # its own transaction's view, never kept
    assert (kept(load), kept(load)) == (4, 4)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_is_never_served() -> None:
    Service.objects.create(slug="accueil", name="Accueil")
    assert route(request_type=None, text="Bonjour").service.name == "Accueil"

    with pytest.raises(RuntimeError), transaction.atomic():
        Service.objects.filter(slug="accueil").update(name="Accueil (brouillon)")
        assert route(request_type=None, text="Bonjour").service.name == "Accueil (brouillon)"
        raise RuntimeError

    assert route(request_type=None, text="Bonjour").service.name == "Accueil"


def test_another_process_bump_is_seen_at_the_next_check(monkeypatch: pytest.MonkeyPatch) -> None:
    load = Loader()
    kept(load)
    cache.incr("parvis:version:catalogue")  # what another process's commit does
    assert kept(load) == 1  # the version was read less than CHECK_SECONDS ago

    monkeypatch.setattr(cache_versions, "CHECK_SECONDS", 0)
    assert kept(load) == 2


def test_a_lost_version_starts_again_beyond_every_earlier_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load = Loader()
    kept(load)
    before = current(CATALOGUE)
    cache.clear()  # flushed, or the key evicted
    monkeypatch.setattr(cache_versions, "CHECK_SECONDS", 0)

    assert kept(load) == 2
    assert current(CATALOGUE) > before


def test_every_migrate_bumps_every_version(django_capture_on_commit_callbacks: Any) -> None:
    # Data migrations write through historical models, which send no signal.
    before = {name: current(name) for name in NAMES}
    with django_capture_on_commit_callbacks(execute=True):
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert all(current(name) == before[name] + 1 for name in NAMES)


def test_a_model_without_a_versioned_manager_cannot_be_tracked() -> None:
    with pytest.raises(TypeError, match="VersionedQuerySet"):
        cache_versions.track(CATALOGUE, Ticket)
