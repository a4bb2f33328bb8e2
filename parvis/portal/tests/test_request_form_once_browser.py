"""A second click on « Envoyer ma demande » while the form is on its way sends nothing more.

The request is held on its way (as on a slow connection) while the citizen clicks again:
portal.js lets one post through. Without JavaScript the browser would post twice; the
form's token then makes the second post show the first ticket (test_request_form_once).
"""

from typing import Any

import pytest

from parvis.tickets.models import Ticket

pytestmark = pytest.mark.browser


def test_a_second_click_while_sending_posts_nothing_more(
    page: Any, live_server: Any, live_catalog: None
) -> None:
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/demarches/nid-de-poule/")
    page.locator("#id_name").fill("Camille Martin")
    page.locator("#id_email").fill("camille@example.fr")
    page.locator("#id_description").fill("Un trou profond devant l'école.")
    page.locator("#id_f-location").fill("3 rue Victor Hugo")
    page.locator("#id_f-surface_type").select_option("chaussee")
    page.locator("#id_f-hazard_level").select_option("dangereux")
    page.locator("#id_consent").check()
    held: list[Any] = []
    page.route(
        "**/demarches/nid-de-poule/",
        lambda route, request: held.append(route) if request.method == "POST" else route.fallback(),
    )
    button = page.get_by_role("button", name="Envoyer ma demande")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    # The mouse itself: a locator, or page.evaluate, would wait for the pending navigation.
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)

    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url("**/suivi/**")
    ticket = Ticket.objects.get()
    assert page.get_by_role("heading", level=1).inner_text().endswith(ticket.reference)
