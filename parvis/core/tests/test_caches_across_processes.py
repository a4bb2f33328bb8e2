"""Two real processes share one cache: an edit in one shows in the other within a second, and
the rate limit counts the attempts of both as one. Among the edits, an agent deactivated:
their API key is refused by the other process within a second (ADR 0031).

Each (spawned by ``parvis.testing.processes``) runs with the cache of production: the
database's table (the default of one machine), and Redis when one answers on
``PARVIS_TEST_REDIS_URL`` (default: database 7 on 127.0.0.1:6379, keys under a prefix of
this test's own, removed at the end).

Module-level code imports no model: a spawned child imports this module before Django is
set up.
"""

import time
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from parvis.testing import processes

REDIS_URL = "redis://127.0.0.1:6379/7"
SLUG = "nid-de-poule"
WITHIN = 1.0  # seconds: what an administrator is promised
LIMIT, ATTEMPTS = 20, 25  # each process tries 25 times, 20 in all may pass


@pytest.fixture(params=["database", "redis"])
def shared_caches(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """The ``CACHES`` setting of the children."""
    if request.param == "database":
        yield {"default": settings.PARVIS_DATABASE_CACHE}
        return
    import os

    import redis

    url = os.environ.get("PARVIS_TEST_REDIS_URL", REDIS_URL)
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"pas de Redis sur {url}")
    prefix = f"parvis-test-{uuid.uuid4().hex}"
    yield {
        "default": {
            "BACKEND": "parvis.core.cache_backend.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def committed_catalogue(transactional_db: None) -> str:
    """The default catalogue, a commune, an administrator and an agent with an API key,
    committed for the children; the key."""
    from parvis.accounts.actions import agent_create, api_token_issue
    from parvis.accounts.models import User
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service
    from parvis.core.actions import commune_update

    catalog_load_defaults()
    commune_update(name="Villeneuve")
    User.objects.create_superuser("admin", "admin@mairie.test", "motdepasse-test")
    agent = agent_create(
        username="appli",
        first_name="Appli",
        last_name="Métier",
        email="appli@mairie.test",
        password="motdepasse-test",
        services=list(Service.objects.filter(slug="etat-civil")),
    )
    key = api_token_issue(user=agent)
    assert key is not None
    return key


def test_an_edit_in_one_process_shows_in_another_within_a_second_and_both_count_as_one(
    committed_catalogue: str, shared_caches: dict[str, Any], tmp_path: Path
) -> None:
    # One pair of processes for both checks: starting one costs seconds.
    key = committed_catalogue
    before = _looks(key)  # as the parent sees it
    assert before["rule"] == "accueil"
    assert before["key"] == "accepted"
    to_reader, to_editor = processes.SPAWN.Queue(), processes.SPAWN.Queue()

    outcomes = processes.run_processes(
        _child,
        processes.shared_database_name(tmp_path),
        shared_caches,
        to_reader,
        to_editor,
        key,
        count=2,
    )

    errors = [error for _index, _value, error in outcomes if error]
    assert not errors, "\n".join(errors)
    reader, editor = (value for _index, value, _error in sorted(outcomes, key=lambda o: o[0]))

    first, warm_reads_query_no_table, seen, reader_allowed = reader
    assert first == before
    assert warm_reads_query_no_table  # the reader serves from what it keeps
    assert [(what, value) for what, value, _delay in seen] == [
        ("commune", "Villeneuve-sur-Lot"),  # the admin's change form
        ("request_type", "Trou dans la chaussée"),  # QuerySet.update
        ("field", "Adresse exacte du trou"),  # the form builder: an edit, then published
        ("rule", "police-municipale"),  # the admin's add form
        ("key", "refused"),  # the key's agent deactivated
        ("request_type", "Nid-de-poule"),  # committed after the reader looked again
    ]
    slow = [(what, round(delay, 2)) for what, _value, delay in seen if delay >= WITHIN]
    assert not slow
    read_meanwhile, editor_allowed = editor
    assert read_meanwhile == "Trou dans la chaussée"  # the edit was not committed yet
    # The tracking look-up's limit, counted by both at once: not LIMIT per process, and no
    # attempt lost when both count at the same instant; so is intake's limit per address.
    assert reader_allowed[0] + editor_allowed[0] == LIMIT
    assert reader_allowed[1] + editor_allowed[1] == settings.PARVIS_SUBMIT_EMAIL_LIMIT


# --- In the children -------------------------------------------------------------------------


def _child(
    database_name: str,
    caches: dict[str, Any],
    to_reader: Any,
    to_editor: Any,
    key: str,
    index: int,
    barrier: Any,
    results: Any,
) -> None:
    """Child 0 reads, child 1 edits; each puts ``(index, what it found, traceback)``."""
    try:
        processes.setup_django(database_name, caches=caches)
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host allowed, mail kept in memory
        role = _reader if index == 0 else _editor
        results.put((index, role(to_reader, to_editor, key, barrier), ""))
    except BaseException:
        results.put((index, None, traceback.format_exc()))
    finally:
        processes.close_connections()


def _reader(
    inbox: Any, outbox: Any, key: str, barrier: Any
) -> tuple[dict[str, str], bool, list[tuple[str, str, float]], tuple[int, int]]:
    """Serve the catalogue and the commune; after each edit, time how soon the change shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parvis.core import cache_versions

    first = _looks(key)
    with CaptureQueriesContext(connection) as captured:
        _looks(key)
    tables_read = [query["sql"] for query in captured if "parvis_cache" not in query["sql"]]
    outbox.put("ready")
    seen = []
    while (message := inbox.get(timeout=processes.TIMEOUT)) != "done":
        what, expected, committed_at = message
        if what == "during":  # the editor's transaction is open: look at the versions again
            time.sleep(cache_versions.CHECK_SECONDS + 0.1)
            outbox.put(_looks(key)["request_type"])
            continue
        while (value := _looks(key)[what]) != expected and time.time() < committed_at + 5:
            time.sleep(0.01)
        seen.append((what, value, time.time() - committed_at))
        outbox.put("seen")
    return first, not tables_read, seen, _attempt(barrier)


def _looks(key: str) -> dict[str, str]:
    from rest_framework.exceptions import AuthenticationFailed

    from parvis.api.authentication import ApiTokenAuthentication
    from parvis.catalog.selectors import request_type_with_fields
    from parvis.core.models import Commune
    from parvis.routing.decide import route

    pothole = request_type_with_fields(SLUG)
    assert pothole is not None
    try:
        ApiTokenAuthentication().authenticate_credentials(key)
        key_state = "accepted"
    except AuthenticationFailed:
        key_state = "refused"
    return {
        "commune": Commune.current().name,
        "request_type": pothole.name,
        "field": pothole.fields.all()[0].label,
        "rule": route(request_type=None, text="Un zeppelin sur le toit").service.slug,
        "key": key_state,
    }


def _editor(to_reader: Any, inbox: Any, key: str, barrier: Any) -> tuple[str, tuple[int, int]]:
    """Edit as an administrator does, and through the ORM; tell the reader when committed."""
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from parvis.accounts.models import User
    from parvis.catalog.models import RequestType, Service
    from parvis.conftest import verified_login
    from parvis.core.models import Commune

    def committed(what: str, expected: str) -> None:
        to_reader.put((what, expected, time.time()))
        assert inbox.get(timeout=processes.TIMEOUT) == "seen"

    assert inbox.get(timeout=processes.TIMEOUT) == "ready"
    admin = verified_login(Client(), User.objects.get(username="admin"))

    commune = Commune.objects.get()
    response = admin.post(
        f"/admin/core/commune/{commune.pk}/change/",
        {
            "name": "Villeneuve-sur-Lot",
            "primary_color": commune.primary_color,
            "mail_reopen_days": commune.mail_reopen_days,
        },
    )
    assert response.status_code == 302, response.text
    committed("commune", "Villeneuve-sur-Lot")

    RequestType.objects.filter(slug=SLUG).update(name="Trou dans la chaussée")
    committed("request_type", "Trou dans la chaussée")

    pothole = RequestType.objects.get(slug=SLUG)
    field = pothole.fields.order_by("position", "pk")[0]
    response = admin.post(
        reverse("backoffice:form_field_edit", args=[SLUG, field.pk]),
        _field_form(field, label="Adresse exacte du trou"),
    )
    assert response.status_code == 302, response.text
    response = admin.post(reverse("backoffice:form_publish", args=[SLUG]))
    assert response.status_code == 302, response.text
    committed("field", "Adresse exacte du trou")

    police = Service.objects.get(slug="police-municipale")
    response = admin.post(
        "/admin/routing/keywordrule/add/",
        {"keywords": "zeppelin", "service": police.pk, "position": 0, "is_active": "on"},
    )
    assert response.status_code == 302, response.text
    committed("rule", "police-municipale")

    agent = User.objects.get(username="appli")
    agent.is_active = False
    agent.save()  # as the admin's change form saves it
    committed("key", "refused")

    with transaction.atomic():
        RequestType.objects.filter(slug=SLUG).update(name="Nid-de-poule")
        to_reader.put(("during", "", 0.0))
        read_meanwhile: str = inbox.get(timeout=processes.TIMEOUT)
    committed("request_type", "Nid-de-poule")
    to_reader.put("done")
    return read_meanwhile, _attempt(barrier)


def _field_form(field: Any, *, label: str) -> dict[str, object]:
    """What the form builder's edit form of a field posts, its label changed."""
    data: dict[str, object] = {
        "label": label,
        "kind": field.kind,
        "help_text": field.help_text,
        "choices": field.choices,
    }
    if field.required:
        data["required"] = "on"
    return data


def _attempt(barrier: Any) -> tuple[int, int]:
    """Make ATTEMPTS look-ups from one client, then ATTEMPTS requests with one email address,
    as fast as possible; how many of each were allowed."""
    from django.core.exceptions import ValidationError

    from parvis.core.ratelimit import attempt_allowed
    from parvis.intake.throttling import email_submission_check

    barrier.wait(timeout=processes.TIMEOUT)
    lookups = sum(
        attempt_allowed("test-lookup", "203.0.113.7", limit=LIMIT, window=300)
        for _ in range(ATTEMPTS)
    )
    submissions = 0
    for _ in range(ATTEMPTS):
        try:
            email_submission_check("victime@example.fr", actor=None)
        except ValidationError:
            continue
        submissions += 1
    return lookups, submissions
