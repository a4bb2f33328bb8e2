"""In a real browser: a citizen about to report a pothole stands next to one already
reported, sees it, follows it, and no second ticket is made."""

import math
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.catalog.models import RequestType
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Ticket, TicketFollower
from parvis.tickets.structures import IncomingRequest, Location, RequesterData

pytestmark = pytest.mark.browser

POTHOLE = (47.394144, 0.684840)


def test_a_citizen_next_to_an_open_pothole_report_follows_it_instead_of_filing(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    reported = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Bernadette Quesnel", "bernadette@example.fr"),
            subject="Trou devant chez moi",
            description="Mon voisin roule dedans tous les soirs.",
            request_type=RequestType.objects.get(slug="nid-de-poule"),
            field_values={
                "location": "14 rue Nationale",
                "surface_type": "chaussee",
                "hazard_level": "dangereux",
            },
            location=Location("", *POTHOLE),
        ),
        actor=None,
        rate_limited=False,
    ).ticket
    # The citizen stands 20 m south of it, on a phone.
    here = POTHOLE[0] - math.degrees(20 / 6_371_008.8), POTHOLE[1]
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": here[0], "longitude": here[1], "accuracy": 10})
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/demarches/nid-de-poule/")
    page.get_by_role("button", name="Utiliser ma position actuelle").click()
    nearby = page.locator("#signalements-proches")
    nearby.get_by_role("heading", name="1 signalement en cours à proximité").wait_for()
    text = nearby.inner_text()
    assert "Rue Nationale" in text
    assert "À environ 20 m au nord" in text
    assert "Bernadette" not in text and "voisin" not in text and reported.reference not in text
    assert page.locator("#id_location_lat").input_value() == f"{here[0]:.6f}"
    axe_check(page)
    # Nothing runs past the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    nearby.get_by_role("link", name="Suivre ce signalement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivre ce signalement")
    axe_check(page)
    page.get_by_label("Nom et prénom").fill("Lou Bernard")
    page.get_by_role("textbox", name="Adresse électronique").fill("lou@example.fr")
    page.get_by_label("J'accepte que la commune").check()
    page.get_by_role("button", name="Suivre ce signalement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vous suivez ce signalement")
    assert "Aucune nouvelle demande n'a été créée" in page.inner_text("main")
    axe_check(page)
    assert list(Ticket.objects.values_list("pk", flat=True)) == [reported.pk]
    follower = TicketFollower.objects.get()
    assert (follower.ticket_id, follower.email) == (reported.pk, "lou@example.fr")


def test_without_a_position_the_citizen_still_files_their_report(
    page: Any, live_server: Any, live_catalog: None
) -> None:
    page.context.set_geolocation(None)
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/demarches/nid-de-poule/")
    page.locator("#id_name").fill("Lou Bernard")
    page.locator("#id_email").fill("lou@example.fr")
    page.locator("#id_description").fill("Un trou au milieu de la chaussée.")
    page.locator("#id_f-location").fill("rue Nationale")
    page.locator("#id_f-surface_type").select_option("chaussee")
    page.locator("#id_f-hazard_level").select_option("moyen")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/suivi/**")
    ticket = Ticket.objects.get()
    assert ticket.location_lat is None
