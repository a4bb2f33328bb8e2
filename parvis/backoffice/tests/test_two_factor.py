"""The second factor: who owes it, the code page after the password, setting up the app,
recovery codes usable once, and the administration closed until it is given."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parvis.accounts.actions import two_factor_reset
from parvis.accounts.models import User
from parvis.accounts.selectors import must_use_two_factor, two_factor_pending
from parvis.catalog.models import RequestType, Service
from parvis.conftest import verified_login

LOGIN_URL = reverse("backoffice:login")
VERIFY_URL = reverse("backoffice:two_factor_verify")
ENROL_URL = reverse("backoffice:two_factor_enrol")
PASSWORD = "motdepasse-test"


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """What the agent's app shows now (``drift`` steps later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


@pytest.fixture
def administrator(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", username="chef", is_staff=True)


def log_in_by_password(client: Client, user: Any, next_url: str = "") -> Any:
    data = {"username": user.username, "password": PASSWORD, "next": next_url}
    return client.post(LOGIN_URL, data)


def enrol(client: Client, user: Any) -> list[str]:
    """Set up the app through the pages; the recovery codes shown."""
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL_URL, {"code": code_for(device)})
    assert response.status_code == 200, response.text
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_administrators_and_confidential_services_must_use_it(
    catalog: None, make_agent: Any
) -> None:
    assert RequestType.objects.filter(service__slug="ccas", is_confidential=True).exists()
    assert must_use_two_factor(make_agent("accueil", is_staff=True))
    assert must_use_two_factor(make_agent("accueil", is_superuser=True))
    assert must_use_two_factor(make_agent("ccas"))
    assert not must_use_two_factor(make_agent("etat-civil"))
    # A service marked confidential, with no confidential démarche of its own (ADR 0015).
    Service.objects.filter(slug="etat-civil").update(is_confidential=True)
    assert must_use_two_factor(make_agent("etat-civil"))
    demo = make_agent("ccas", is_staff=True)
    User.objects.filter(pk=demo.pk).update(is_demo=True)
    assert not must_use_two_factor(User.objects.get(pk=demo.pk))


def test_an_administrator_is_sent_from_the_password_to_setting_up_the_app(
    client: Client, administrator: Any
) -> None:
    response = log_in_by_password(client, administrator)
    assert response["Location"].startswith(VERIFY_URL)

    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(ENROL_URL)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Configurer la double authentification" in page.text
    assert "<svg " in page.text and 'role="img"' in page.text  # the QR code, inline
    assert "<script" not in page.text.split("<body", 1)[1].replace('<script src="/static', "")


def test_an_administrator_without_the_second_factor_cannot_reach_the_admin(
    client: Client, administrator: Any
) -> None:
    log_in_by_password(client, administrator)

    for url in [reverse("admin:index"), reverse("admin:accounts_user_changelist")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))
        login_page = client.get(response["Location"])
        assert login_page["Location"].startswith(VERIFY_URL)
    assert client.get(reverse("backoffice:queue"))["Location"].startswith(VERIFY_URL)


def test_the_admin_login_asks_for_the_second_factor_too(client: Client, administrator: Any) -> None:
    response = client.post(
        reverse("admin:login"),
        {"username": "chef", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next=%2Fadmin%2F"


def test_setting_up_the_app_shows_recovery_codes_once_and_opens_the_admin(
    client: Client, administrator: Any
) -> None:
    log_in_by_password(client, administrator)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)

    response = client.post(ENROL_URL, {"code": code_for(device), "next": "/admin/"})

    assert "La double authentification est activée." in response.text
    codes = StaticToken.objects.filter(device__user=administrator)
    assert codes.count() == 10
    assert all(code.token in response.text for code in codes)
    assert response["Cache-Control"] == "no-store"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("backoffice:queue")).status_code == 200


def test_a_wrong_code_is_refused_in_french_and_then_slowed_down(
    client: Client, administrator: Any
) -> None:
    log_in_by_password(client, administrator)
    client.get(ENROL_URL)

    first = client.post(ENROL_URL, {"code": "000000"})
    second = client.post(ENROL_URL, {"code": "000000"})

    assert "Code incorrect" in first.text and "toutes les 30 secondes" in first.text
    assert "Trop de codes incorrects : attendez" in second.text
    assert two_factor_pending(User.objects.get(pk=administrator.pk))


def test_next_login_asks_for_a_code_and_a_recovery_code_works_once(
    client: Client, administrator: Any
) -> None:
    log_in_by_password(client, administrator)
    codes = enrol(client, administrator)
    client.post(reverse("backoffice:logout"))

    log_in_by_password(client, administrator)
    assert client.get(reverse("admin:index")).status_code == 302
    response = client.post(VERIFY_URL, {"code": codes[0].upper(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert "il ne servira plus. Il vous en reste 9" in client.get("/admin/").text
    client.post(reverse("backoffice:logout"))

    log_in_by_password(client, administrator)
    response = client.post(VERIFY_URL, {"code": codes[0]})
    assert response.status_code == 200 and "Code incorrect" in response.text
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_code_of_the_app_verifies_the_next_login(
    client: Client, administrator: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the refused code, in this test
    log_in_by_password(client, administrator)
    enrol(client, administrator)
    client.post(reverse("backoffice:logout"))
    log_in_by_password(client, administrator)
    device = TOTPDevice.objects.get(user=administrator, confirmed=True)

    # A code already used does not serve twice; the next one does.
    assert client.post(VERIFY_URL, {"code": code_for(device)}).status_code == 200
    response = client.post(VERIFY_URL, {"code": code_for(device, drift=1)})

    assert response["Location"] == reverse("backoffice:queue")


def test_a_password_alone_cannot_replace_the_app(client: Client, administrator: Any) -> None:
    log_in_by_password(client, administrator)
    enrol(client, administrator)
    client.post(reverse("backoffice:logout"))
    log_in_by_password(client, administrator)

    response = client.get(ENROL_URL)

    assert response["Location"].startswith(VERIFY_URL)
    assert not TOTPDevice.objects.filter(user=administrator, confirmed=False).exists()


def test_an_agent_of_an_ordinary_service_may_go_without(
    client: Client, catalog: None, make_agent: Any
) -> None:
    agent = make_agent("etat-civil", username="alice")
    response = log_in_by_password(client, agent)
    assert response["Location"] == reverse("backoffice:queue")

    page = client.get(reverse("backoffice:account"))
    assert "Non activée" in page.text
    assert ENROL_URL in page.text


def test_an_agent_who_set_it_up_gives_it_at_every_login(
    client: Client, catalog: None, make_agent: Any
) -> None:
    agent = make_agent("etat-civil", username="alice")
    log_in_by_password(client, agent)
    enrol(client, agent)
    client.post(reverse("backoffice:logout"))

    response = log_in_by_password(client, agent)

    assert response["Location"].startswith(VERIFY_URL)


def test_new_recovery_codes_replace_the_old_ones(client: Client, administrator: Any) -> None:
    log_in_by_password(client, administrator)
    old = enrol(client, administrator)

    response = client.post(reverse("backoffice:recovery_codes"))

    new = list(
        StaticToken.objects.filter(device__user=administrator).values_list("token", flat=True)
    )
    assert len(new) == 10 and not set(old) & set(new)
    assert all(code in response.text for code in new)


def test_an_administrator_resets_a_lost_phone(
    client: Client, catalog: None, admin_user: Any, make_agent: Any
) -> None:
    agent = make_agent("ccas", username="claire")
    log_in_by_password(client, agent)
    enrol(client, agent)
    client.post(reverse("backoffice:logout"))

    response = verified_login(Client(), admin_user).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [agent.pk]},
        follow=True,
    )

    assert "Double authentification réinitialisée pour 1 agent" in response.text
    assert not TOTPDevice.objects.filter(user=agent).exists()
    assert log_in_by_password(client, agent)["Location"].startswith(VERIFY_URL)
    assert client.get(VERIFY_URL)["Location"].startswith(ENROL_URL)


def test_demo_accounts_log_in_without_it_and_the_login_page_says_so(
    client: Client, administrator: Any
) -> None:
    User.objects.filter(pk=administrator.pk).update(is_demo=True)

    page = client.get(LOGIN_URL)
    response = log_in_by_password(client, administrator, "/admin/")

    assert "Commune de démonstration." in page.text
    assert "sans double authentification" in page.text
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_login_page_says_nothing_of_the_demo_on_a_real_installation(
    client: Client, db: None
) -> None:
    assert "Commune de démonstration" not in client.get(LOGIN_URL).text


def test_the_api_refuses_a_session_whose_second_factor_is_owed(
    client: Client, administrator: Any
) -> None:
    log_in_by_password(client, administrator)
    assert client.get(reverse("api:ticket-list")).status_code in (401, 403)

    enrol(client, administrator)
    assert client.get(reverse("api:ticket-list")).status_code == 200


def test_reset_leaves_no_device(administrator: Any) -> None:
    TOTPDevice.objects.create(user=administrator, confirmed=True)
    two_factor_reset(user=administrator)
    assert not TOTPDevice.objects.filter(user=administrator).exists()
