"""Before reporting: the open reports nearby, public facts only; following one instead of
filing it again."""

import math
import re

import pytest
from django.urls import reverse

from parvis.accounts.models import Requester
from parvis.portal.nearby import follow_token, street_of
from parvis.tickets.models import Status, Ticket, TicketFollower
from parvis.tickets.structures import Location, RequesterData

pytestmark = pytest.mark.django_db

HERE = (47.394144, 0.684840)
REPORTER = RequesterData("Bernadette Quesnel", "bernadette.quesnel@example.fr", "06 11 22 33 44")
SECRET_WORDS = "Mon voisin M. Grosjean roule dedans tous les soirs"
LIST = reverse("portal:nearby_reports", args=["nid-de-poule"])
FOLLOW = reverse("portal:nearby_follow", args=["nid-de-poule"])


def north(metres: float) -> tuple[float, float]:
    return HERE[0] + math.degrees(metres / 6_371_008.8), HERE[1]


@pytest.fixture
def pothole(make_ticket):
    """An open pothole report 30 m north of HERE, with everything personal a report holds."""
    at = north(30)
    return make_ticket(
        "nid-de-poule",
        subject="Trou énorme devant chez moi",
        description=SECRET_WORDS,
        requester=REPORTER,
        field_values={
            "location": "14 bis rue Nationale, devant chez Mme Quesnel",
            "surface_type": "chaussee",
            "hazard_level": "dangereux",
        },
        location=Location("", at[0], at[1]),
    )


def listing(client, at=HERE, **headers):
    return client.get(LIST, {"location_lat": at[0], "location_lon": at[1]}, **headers)


def test_the_list_shows_public_facts_of_the_open_reports_nearby(client, pothole):
    response = listing(client, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 signalement en cours à proximité" in html
    assert "Signaler un nid-de-poule ou une chaussée dégradée" in html
    assert "Rue Nationale" in html
    assert "À environ 30 m au nord" in html
    assert 'statut : <span class="status-label">nouvelle</span>' in html
    assert "Suivre ce signalement" in html
    assert "<html" not in html  # a fragment for HTMX


def test_the_list_holds_no_personal_data_nor_anything_that_opens_the_ticket(client, pothole):
    html = listing(client, headers={"HX-Request": "true"}).content.decode()
    for secret in [
        "Bernadette",
        "Quesnel",
        "bernadette.quesnel",
        "06 11 22 33 44",
        "Grosjean",
        SECRET_WORDS,
        "Trou énorme",
        "14 bis",
        "devant chez",
        "dangereux",
        pothole.reference,
        pothole.tracking_token,
        f"{pothole.location_lat:.5f}",
        str(pothole.pk) + '"',
    ]:
        assert secret not in html, secret
    # The only link is the follow page, with a signed token that is neither id nor reference.
    links = re.findall(r'href="([^"]*)"', html)
    assert links and all(link.startswith(FOLLOW + "?report=") for link in links)


def test_without_javascript_the_list_is_a_page(client, pothole):
    response = listing(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Signalements en cours à proximité" in html
    assert "Revenir au formulaire de signalement" in html


def test_a_closed_or_far_report_or_one_of_another_demarche_is_not_listed(client, make_ticket):
    closed = make_ticket("nid-de-poule", location=Location("", *north(10)))
    Ticket.objects.filter(pk=closed.pk).update(status=Status.RESOLVED)
    make_ticket("nid-de-poule", location=Location("", *north(200)))
    make_ticket("eclairage-public", location=Location("", *north(5)))
    html = listing(client, headers={"HX-Request": "true"}).content.decode()
    assert "Aucun signalement de ce type en cours à proximité" in html


def test_a_demarche_that_is_not_a_public_space_report_lists_nothing(client, make_ticket):
    make_ticket("tranquillite-vacances", location=Location("", *HERE))
    url = reverse("portal:nearby_reports", args=["tranquillite-vacances"])
    response = client.get(url, {"location_lat": HERE[0], "location_lon": HERE[1]})
    assert response.status_code == 404


def test_a_bad_position_is_said_in_french(client, catalog):
    response = client.get(LIST, {"location_lat": "91", "location_lon": "abc"})
    assert response.status_code == 400
    assert "La position indiquée n'est pas valide" in response.content.decode()


def test_look_ups_are_limited_per_client(client, pothole, settings):
    settings.PARVIS_NEARBY_LOOKUP_LIMIT = 2
    assert listing(client).status_code == 200
    assert listing(client).status_code == 200
    refused = listing(client)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Trop de recherches depuis votre connexion" in html
    assert "Rue Nationale" not in html
    # htmx swaps no 4xx: the fragment says it with a 200.
    fragment = listing(client, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "Trop de recherches" in fragment.content.decode()


def test_the_list_costs_few_queries(client, make_ticket, django_assert_max_num_queries):
    for metres in (5, 15, 25, 35, 45):
        make_ticket("nid-de-poule", location=Location("rue Nationale", *north(metres)))
    listing(client)  # the catalogue copy is read once per process
    with django_assert_max_num_queries(4):
        html = listing(client, headers={"HX-Request": "true"}).content.decode()
    assert "5 signalements en cours à proximité" in html


def test_the_request_form_of_a_public_space_report_asks_for_the_point(client, catalog):
    html = client.get(reverse("portal:request_form", args=["nid-de-poule"])).content.decode()
    assert 'name="location_lat"' in html and 'name="location_lon"' in html
    assert "Utiliser ma position actuelle" in html
    assert f'hx-get="{LIST}"' in html
    other = client.get(reverse("portal:request_form", args=["tranquillite-vacances"]))
    assert 'name="location_lat"' not in other.content.decode()


def pothole_post(**overrides):
    data = {
        "name": "Lou Bernard",
        "email": "lou@example.fr",
        "description": "Un trou dans la chaussée.",
        "consent": "on",
        "f-location": "rue Nationale",
        "f-surface_type": "chaussee",
        "f-hazard_level": "moyen",
    }
    data.update(overrides)
    return data


def test_the_point_given_is_kept_on_the_ticket_and_flagged_near_the_open_one(client, pothole):
    url = reverse("portal:request_form", args=["nid-de-poule"])
    response = client.post(url, pothole_post(location_lat="47,394144", location_lon="0.68484"))
    assert response.status_code == 302
    ticket = Ticket.objects.exclude(pk=pothole.pk).get()
    assert (ticket.location_lat, ticket.location_lon) == (47.394144, 0.68484)
    assert ticket.location_address == "rue Nationale"
    assert ticket.events.get(kind="nearby_report").data["ticket_id"] == pothole.pk


def test_without_a_point_the_report_is_filed_all_the_same(client, catalog):
    url = reverse("portal:request_form", args=["nid-de-poule"])
    assert client.post(url, pothole_post()).status_code == 302
    assert Ticket.objects.get().location_lat is None


def test_half_a_point_is_refused_with_what_was_typed_kept(client, catalog):
    url = reverse("portal:request_form", args=["nid-de-poule"])
    response = client.post(url, pothole_post(location_lat="47.39"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Indiquez la latitude et la longitude, ou aucune des deux." in html
    assert 'value="47.39"' in html
    assert not Ticket.objects.exists()


def follow_post(pothole, **overrides):
    data = {
        "report": follow_token(pothole.pk),
        "name": "Lou Bernard",
        "email": "Lou@Example.fr",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_following_makes_a_follower_and_no_ticket(client, pothole):
    page = client.get(FOLLOW, {"report": follow_token(pothole.pk)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rue Nationale" in html and "nouvelle" in html
    for secret in ("Quesnel", "Bernadette", SECRET_WORDS, pothole.reference, "14 bis"):
        assert secret not in html
    response = client.post(FOLLOW, follow_post(pothole), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "portal:nearby_followed", args=["nid-de-poule"]
    )
    assert "Aucune nouvelle demande n'a été créée" in response.content.decode()
    assert Ticket.objects.count() == 1
    follower = TicketFollower.objects.get()
    assert follower.ticket == pothole
    assert follower.reason == TicketFollower.Reason.NEARBY_REPORT
    assert follower.requester.email == "lou@example.fr"
    assert pothole.events.filter(kind="follower_added").count() == 1


def test_a_known_requester_follows_as_themselves(client, pothole, confirmed_address):
    known = confirmed_address("lou@example.fr", name="Lou Bernard")
    client.post(FOLLOW, follow_post(pothole))
    assert TicketFollower.objects.get().requester == known
    assert Requester.objects.filter(email="lou@example.fr").count() == 1


def test_a_forged_or_mangled_token_follows_nothing(client, pothole):
    for token in [str(pothole.pk), pothole.reference, follow_token(pothole.pk) + "x", ""]:
        response = client.post(FOLLOW, follow_post(pothole, report=token))
        assert response.status_code == 400
        assert "Ce lien n'est plus valable" in response.content.decode()
    assert not TicketFollower.objects.exists()


def test_a_report_closed_since_the_list_cannot_be_followed(client, pothole):
    Ticket.objects.filter(pk=pothole.pk).update(status=Status.CLOSED)
    for response in (
        client.get(FOLLOW, {"report": follow_token(pothole.pk)}),
        client.post(FOLLOW, follow_post(pothole)),
    ):
        assert response.status_code == 400
        assert "ce signalement vient d" in response.content.decode()
    assert not TicketFollower.objects.exists()


def test_a_report_closed_while_the_citizen_types_is_refused_by_intake(pothole):
    from django.core.exceptions import ValidationError

    from parvis.intake.follow import intake_follow_nearby_report

    Ticket.objects.filter(pk=pothole.pk).update(status=Status.RESOLVED)
    with pytest.raises(ValidationError) as raised:
        intake_follow_nearby_report(
            ticket_id=pothole.pk, requester=RequesterData("Lou Bernard", "lou@example.fr")
        )
    assert "Ce signalement ne peut plus être suivi" in raised.value.messages[0]
    assert not TicketFollower.objects.exists()


def test_following_asks_for_a_name_an_email_and_consent(client, pothole):
    response = client.post(
        FOLLOW, follow_post(pothole, name="", email="pas-un-courriel", consent="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le formulaire contient 3 erreurs" in html
    assert 'value="pas-un-courriel"' in html
    assert not TicketFollower.objects.exists()


def test_following_counts_against_the_address_limit_of_intake(client, pothole, settings):
    settings.PARVIS_SUBMIT_EMAIL_LIMIT = 1
    assert client.post(FOLLOW, follow_post(pothole)).status_code == 302
    refused = client.post(FOLLOW, follow_post(pothole, email="LOU@example.fr"))
    assert refused.status_code == 429
    assert "Plusieurs demandes viennent déjà" in refused.content.decode()


def test_following_counts_against_the_client_limit_of_the_form(client, pothole, settings):
    settings.PARVIS_SUBMIT_CLIENT_LIMIT = 1
    assert client.post(FOLLOW, follow_post(pothole)).status_code == 302
    refused = client.post(FOLLOW, follow_post(pothole, email="autre@example.fr"))
    assert refused.status_code == 429
    assert TicketFollower.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "street"),
    [
        ("14 bis rue Nationale, devant chez Mme Quesnel", "Rue Nationale"),
        ("3 avenue du Général de Gaulle", "Avenue du Général de Gaulle"),
        ("rue des lilas devant le numéro 12", "Rue des lilas"),
        ("Place du 8 Mai 1945 (côté fontaine)", "Place du 8 Mai 1945"),
        ("2 allée des Châtaigniers près du banc", "Allée des Châtaigniers"),
        ("Résidence Les Œillets, bâtiment B", "Résidence Les Œillets"),
        ("chez M. Dupont au bout du chemin", ""),
        ("devant l'école", ""),
        ("", ""),
    ],
)
def test_the_street_is_kept_and_the_rest_dropped(typed, street):
    assert street_of(typed) == street


def test_who_follows_from_the_portal_is_told_of_the_reports_updates_not_its_words(
    client, pothole, make_agent, mailoutbox
):
    from parvis.conftest import run_worker
    from parvis.tickets.actions import ticket_reply

    client.post(FOLLOW, follow_post(pothole))
    mailoutbox.clear()
    agent = make_agent("services-techniques")
    ticket_reply(ticket=pothole, actor=agent, body="Une équipe rebouche le trou jeudi.")
    run_worker()
    to_follower = [m for m in mailoutbox if m.to == ["Lou@Example.fr"]]  # as typed
    assert len(to_follower) == 1
    assert pothole.reference in to_follower[0].subject
    # The answer and the subject are the reporter's: a neighbour reads that there is one.
    assert "a répondu à la personne qui a déposé le signalement" in to_follower[0].body
    assert "Une équipe rebouche le trou jeudi." not in to_follower[0].body
    assert pothole.subject not in to_follower[0].body
    assert "Quesnel" not in to_follower[0].body
