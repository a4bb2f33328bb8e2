"""Failed passwords lock a login out (django-axes): the attack of 40 wrong passwords and then
the right one no longer works, on the agents' login and the administration's."""

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from parvis.conftest import verified_login

LOGIN_URL = reverse("backoffice:login")
ADMIN_LOGIN_URL = reverse("admin:login")
PASSWORD = "motdepasse-test"
LOCKED = "Trop de tentatives de connexion échouées"


@pytest.fixture
def alice(catalog: None, make_agent: Any) -> Any:
    return make_agent("etat-civil", username="alice")


def _fail(client: Client, url: str, username: str, times: int) -> list[int]:
    return [
        client.post(url, {"username": username, "password": "faux"}).status_code
        for _ in range(times)
    ]


def test_forty_wrong_passwords_then_the_right_one_is_refused(
    client: Client, alice: Any, settings: Any
) -> None:
    statuses = _fail(client, LOGIN_URL, "alice", 40)

    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_explained_in_french_and_keeps_the_identifier(
    client: Client, alice: Any, settings: Any
) -> None:
    _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT - 1)

    response = client.post(LOGIN_URL, {"username": "alice", "password": "faux"})

    assert response.status_code == 429
    text = response.text
    assert LOCKED in text
    assert "suspendue pendant 30 minutes" in text
    assert "Un administrateur peut la rétablir plus tôt" in text
    assert 'value="alice"' in text  # nothing typed is lost
    assert "Connexion à l'espace agents" in text


def test_without_a_cool_off_only_an_administrator_lifts_the_lockout(
    client: Client, alice: Any, settings: Any
) -> None:
    settings.AXES_COOLOFF_TIME = None
    _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT)

    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert "un administrateur la rétablisse" in response.text


def test_the_administration_login_is_throttled_too(
    client: Client, db: None, django_user_model: Any, settings: Any
) -> None:
    django_user_model.objects.create_superuser("chef", "chef@mairie.test", PASSWORD)
    _fail(client, ADMIN_LOGIN_URL, "chef", settings.AXES_FAILURE_LIMIT)

    response = client.post(ADMIN_LOGIN_URL, {"username": "chef", "password": PASSWORD})

    assert response.status_code == 429
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_another_address_may_still_log_in_to_that_account(
    client: Client, alice: Any, settings: Any
) -> None:
    _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT)

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in elsewhere.session


def test_a_success_before_the_limit_starts_the_count_again(
    client: Client, alice: Any, settings: Any
) -> None:
    _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD}).status_code == 302
    client.logout()

    statuses = _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT - 1)

    assert set(statuses) == {200}


def test_an_administrator_unlocks_the_account_from_the_agents_list(
    client: Client, alice: Any, admin_user: Any, settings: Any
) -> None:
    _fail(client, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.filter(username="alice").exists()

    administrator = verified_login(Client(), admin_user)
    response = administrator.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_login", "_selected_action": [alice.pk]},
        follow=True,
    )

    assert "Connexion débloquée pour 1 agent." in response.text
    assert not AccessAttempt.objects.filter(username="alice").exists()
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_administration_lists_the_lockouts(
    client: Client, alice: Any, admin_client: Client, settings: Any
) -> None:
    Client(REMOTE_ADDR="203.0.113.9").post(LOGIN_URL, {"username": "alice", "password": "x"})

    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert "203.0.113.9" in response.text


def test_a_forwarded_address_that_is_not_one_is_counted_without_an_error(
    client: Client, alice: Any, settings: Any
) -> None:
    settings.PARVIS_TRUSTED_PROXIES = 1
    garbled = Client(HTTP_X_FORWARDED_FOR="not-an-address")

    statuses = _fail(garbled, LOGIN_URL, "alice", settings.AXES_FAILURE_LIMIT)

    assert statuses[-1] == 429
    assert AccessAttempt.objects.filter(username="alice", ip_address=None).exists()
