"""Results per service and démarche, for the services a person may see; comments for members."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.conftest import run_worker, verified_login
from parvis.satisfaction.actions import survey_answer
from parvis.satisfaction.models import Survey
from parvis.satisfaction.selectors import satisfaction_by_demarche, satisfaction_by_service
from parvis.tickets.actions import ticket_change_status
from parvis.tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(make_ticket: Any, make_agent: Any) -> Any:
    """Three closed potholes rated 5, 3 and not at all; one closed birth certificate rated 1."""
    roads = make_agent("services-techniques")
    registry = make_agent("etat-civil")
    for slug, agent, rating, comment in [
        ("nid-de-poule", roads, 5, "Réparé <b>vite</b>"),
        ("nid-de-poule", roads, 3, ""),
        ("nid-de-poule", roads, None, ""),
        ("acte-de-naissance", registry, 1, "Trop long"),
    ]:
        ticket = make_ticket(slug)
        ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
        run_worker()
        if rating is not None:
            survey_answer(survey=Survey.objects.get(ticket=ticket), rating=rating, comment=comment)
    return roads, registry


def test_each_service_sees_its_own_results(rated: Any) -> None:
    roads, _registry = rated

    (row,) = satisfaction_by_service(user=roads, days=90)

    assert (row.invited, row.answered, row.average, row.response_rate) == (3, 2, 4.0, 67)
    assert row.counts == (0, 0, 1, 0, 1)


def test_an_administrator_sees_every_service_and_each_démarche(rated: Any, admin_user: Any) -> None:
    services = {
        row.service: row.average for row in satisfaction_by_service(user=admin_user, days=None)
    }
    demarches = {row.demarche for row in satisfaction_by_demarche(user=admin_user, days=None)}

    assert services == {"Services techniques": 4.0, "État civil": 1.0}
    assert len(demarches) == 2


def test_the_page_shows_results_and_only_the_agents_own_comments(
    rated: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    roads, _registry = rated
    verified_login(client, roads)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("backoffice:satisfaction"), {"periode": "30"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "4,0/5" in html or "4.0/5" in html
    assert "Réparé &lt;b&gt;vite&lt;/b&gt;" in html  # escaped
    assert "Trop long" not in html  # another service's comment
