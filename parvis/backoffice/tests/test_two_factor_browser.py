"""An administrator sets up the second factor in a real browser, and later logs in with a
code of the app, then with a recovery code that serves only once."""

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import Service

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-test"


@pytest.fixture
def administrator(transactional_db: None) -> Any:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()
    return agent_create(
        username="chef",
        first_name="Nadia",
        last_name="Chef",
        email="chef@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="accueil")),
        is_staff=True,
    )


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """What the administrator's app shows, computed from the device's key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def log_in(page: Any, live_server: Any, next_path: str) -> None:
    """The login page that ``next_path`` leads to: the administration's, or the agents'."""
    page.goto(live_server.url + next_path)
    page.locator("#id_username").fill("chef")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")


def log_out(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/agents/")
    page.get_by_role("button", name="Déconnexion").click()


def test_an_administrator_sets_up_the_app_then_logs_in_with_it_and_a_recovery_code(
    page: Any, live_server: Any, administrator: Any, axe_check: Any
) -> None:
    # The administration sends the password to the code page, which sends to setting up.
    log_in(page, live_server, "/admin/")
    page.wait_for_url("**/agents/compte/application/**")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Configurer la double authentification"
    )
    expect(
        page.get_by_role("img", name="Code QR de configuration de l’application")
    ).to_be_visible()
    axe_check(page)
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    shown_key = page.locator(".totp-key").inner_text().replace(" ", "")
    assert shown_key and shown_key in device.config_url

    page.get_by_role("textbox", name="Code").fill(
        "123456" if code_for(device) != "123456" else "654321"
    )
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Code incorrect")).to_be_visible()
    page.wait_for_timeout(1100)  # the wait after a wrong code
    page.get_by_role("textbox", name="Code").fill(code_for(device))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_text("La double authentification est activée.")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    axe_check(page)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_url(live_server.url + "/admin/")
    expect(page.get_by_text("Catalogue, agents et réglages")).to_be_visible()

    # Next login: the app's next code.
    log_out(page, live_server)
    log_in(page, live_server, "/admin/")
    page.wait_for_url("**/agents/connexion/code/**")
    axe_check(page)
    page.get_by_role("textbox", name="Code").fill(code_for(device, drift=1))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(live_server.url + "/admin/")

    # Then a recovery code, once.
    log_out(page, live_server)
    log_in(page, live_server, "/agents/")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(live_server.url + "/agents/")
    expect(page.get_by_text("Il vous en reste 9")).to_be_visible()
    log_out(page, live_server)
    log_in(page, live_server, "/agents/")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Code incorrect")).to_be_visible()
    assert "/agents/connexion/code/" in page.url
