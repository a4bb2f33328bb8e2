"""A closed ticket's citizen is invited once to rate it; only an explicit submit counts."""

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from parvis.conftest import run_worker
from parvis.satisfaction.links import survey_signature
from parvis.satisfaction.models import Survey
from parvis.tickets.actions import ticket_change_status
from parvis.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_agent: Any) -> Any:
    return make_agent("services-techniques")


@pytest.fixture
def pothole(make_ticket: Any) -> Ticket:
    ticket = make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")
    run_worker()
    mail.outbox.clear()
    return ticket


def _close(ticket: Ticket, agent: Any) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    run_worker()


def _link(message: Any) -> str:
    found = re.search(r"https?://\S+/avis/\d+/[0-9a-f]+/", message.body)
    assert found, message.body
    return found.group(0)


def test_closing_a_ticket_invites_its_citizen_once_with_a_link(
    pothole: Ticket, agent: Any, client: Any
) -> None:
    _close(pothole, agent)

    (invitation,) = mail.outbox
    assert invitation.to == [pothole.requester_email]
    assert pothole.reference in invitation.subject
    assert invitation.extra_headers["Auto-Submitted"] == "auto-replied"
    path = _link(invitation).split("://", 1)[1].partition("/")[2]
    assert client.get("/" + path).status_code == 200


def test_a_ticket_reopened_and_closed_again_is_not_rated_twice(pothole: Ticket, agent: Any) -> None:
    _close(pothole, agent)
    ticket_change_status(ticket=pothole, actor=agent, status=Status.IN_PROGRESS)
    _close(pothole, agent)

    assert len([m for m in mail.outbox if "avis" in m.subject.lower()]) == 1
    assert Survey.objects.filter(ticket=pothole).count() == 1


def test_resolving_does_not_invite(pothole: Ticket, agent: Any) -> None:
    ticket_change_status(ticket=pothole, actor=agent, status=Status.RESOLVED)
    run_worker()

    assert not Survey.objects.exists()


def test_opening_the_link_records_nothing_as_a_mail_scanner_would(
    pothole: Ticket, agent: Any, client: Any
) -> None:
    _close(pothole, agent)
    url = reverse("portal:survey", args=[pothole.pk, survey_signature(pothole.pk)])

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    client.head(url)

    survey = Survey.objects.get(ticket=pothole)
    assert survey.answered_at is None and survey.rating is None


def test_the_citizen_rates_once_and_a_second_submit_changes_nothing(
    pothole: Ticket, agent: Any, client: Any
) -> None:
    _close(pothole, agent)
    url = reverse("portal:survey", args=[pothole.pk, survey_signature(pothole.pk)])

    response = client.post(url, {"rating": "4", "comment": "Rapide, merci."})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "votre avis est enregistré" in page
    assert "<form" not in page.split("<main", 1)[-1]
    client.post(url, {"rating": "1", "comment": "Changé d'avis"})

    survey = Survey.objects.get(ticket=pothole)
    assert (survey.rating, survey.comment) == (4, "Rapide, merci.")


def test_a_submit_without_a_rating_is_refused_in_french(
    pothole: Ticket, agent: Any, client: Any
) -> None:
    _close(pothole, agent)
    url = reverse("portal:survey", args=[pothole.pk, survey_signature(pothole.pk)])

    response = client.post(url, {"rating": "9", "comment": "Texte gardé"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Le formulaire contient une erreur" in page
    assert "Texte gardé" in page  # what the person typed is kept
    assert Survey.objects.get(ticket=pothole).answered_at is None


def test_a_made_up_link_and_a_ticket_never_invited_get_the_same_404(
    pothole: Ticket, make_ticket: Any, agent: Any, client: Any
) -> None:
    _close(pothole, agent)
    other = make_ticket("nid-de-poule")

    forged = reverse("portal:survey", args=[pothole.pk, "0" * 32])
    never_invited = reverse("portal:survey", args=[other.pk, survey_signature(other.pk)])

    assert client.get(forged).status_code == 404
    assert client.get(never_invited).status_code == 404
    assert client.post(forged, {"rating": "5"}).status_code == 404


def test_a_ticket_closed_by_a_merge_is_not_rated(
    make_ticket: Any, agent: Any, pothole: Ticket
) -> None:
    from parvis.tickets.actions import ticket_merge

    other = make_ticket("nid-de-poule", subject="Le même trou")
    ticket_merge(source=other, target=pothole, actor=agent)
    run_worker()

    assert not Survey.objects.exists()
