"""A citizen is offered démarches while typing in the portal's search box (HTMX)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_citizen_typing_everyday_words_is_offered_the_demarche(
    page, live_server, live_catalog, axe_check
):
    page.goto(live_server.url + "/demarches/")
    page.get_by_label("Que souhaitez-vous faire ?").press_sequentially("salle des fe", delay=40)
    suggestion = page.locator("#suggestions-demarches").get_by_role(
        "link", name="Réservation de salle municipale"
    )
    suggestion.wait_for()
    axe_check(page)
    suggestion.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réservation de salle municipale")
