"""The access log: lists logged once per request, refused attempts logged, readable contexts."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from parvis.accounts.actions import api_token_issue
from parvis.accounts.models import User
from parvis.conftest import verified_login
from parvis.privacy.models import AccessContext, AccessLog
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ccas(make_agent: Any) -> User:
    return make_agent("ccas")


@pytest.fixture
def admin(make_agent: Any) -> User:
    return make_agent("accueil", is_superuser=True, is_staff=True)


def _logged_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)  # second factor given
    return client


def _api(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def _only_log() -> tuple[AccessLog, set[str]]:
    log = AccessLog.objects.get()
    return log, {ticket.reference for ticket in log.tickets.all()}


def test_the_queue_logs_its_confidential_tickets_in_one_entry(
    make_ticket: Any, make_agent: Any
) -> None:
    agent = make_agent("ccas", "etat-civil")
    first, second = make_ticket("demande-aide-sociale"), make_ticket("demande-aide-sociale")
    make_ticket("acte-de-naissance")
    response = _logged_in(agent).get(reverse("backoffice:queue"))
    assert first.reference in response.text
    log, references = _only_log()
    assert (log.user, log.context, log.granted) == (agent, AccessContext.QUEUE, True)
    assert references == {first.reference, second.reference}


def test_a_queue_without_confidential_tickets_logs_nothing(
    make_ticket: Any, make_agent: Any
) -> None:
    make_ticket("acte-de-naissance")
    _logged_in(make_agent("etat-civil")).get(reverse("backoffice:queue"))
    assert not AccessLog.objects.exists()


def test_the_queue_s_queries_stay_bounded_with_confidential_tickets(
    make_ticket: Any, ccas: User, django_assert_max_num_queries: Any
) -> None:
    client = _logged_in(ccas)
    make_ticket("demande-aide-sociale")
    client.get(reverse("backoffice:queue"))
    with django_assert_max_num_queries(9) as one:
        client.get(reverse("backoffice:queue"))
    for _ in range(4):
        make_ticket("demande-aide-sociale")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("backoffice:queue"))
    assert AccessLog.objects.count() == 3


def test_the_api_list_logs_its_confidential_tickets_in_one_entry(
    make_ticket: Any, ccas: User, django_assert_max_num_queries: Any
) -> None:
    aid = make_ticket("demande-aide-sociale")
    client = _api(ccas)
    with django_assert_max_num_queries(6):  # token, services, count, page, log, its tickets
        response = client.get(reverse("api:ticket-list"))
    assert response.status_code == 200
    log, references = _only_log()
    assert (log.context, references) == (AccessContext.API_LIST, {aid.reference})


def test_a_refused_ticket_page_is_logged(make_ticket: Any, admin: User) -> None:
    aid = make_ticket("demande-aide-sociale")
    response = _logged_in(admin).get(reverse("backoffice:ticket", args=[aid.reference]))
    assert response.status_code == 404
    log, references = _only_log()
    assert (log.user, log.context, log.granted) == (admin, AccessContext.TICKET_PAGE, False)
    assert references == {aid.reference}


def test_a_refused_action_is_logged(make_ticket: Any, admin: User) -> None:
    aid = make_ticket("demande-aide-sociale")
    url = reverse("backoffice:note", args=[aid.reference])
    assert _logged_in(admin).post(url, {"body": "Je regarde"}).status_code == 404
    log, _references = _only_log()
    assert (log.context, log.granted) == (AccessContext.TICKET_ACTION, False)


def test_a_refused_attachment_is_logged(make_ticket: Any, admin: User) -> None:
    aid = make_ticket("demande-aide-sociale")
    attachment = aid.attachments.create(
        file=ContentFile(b"%PDF-1.4", name="avis.pdf"),
        original_name="avis.pdf",
        content_type="application/pdf",
        size=8,
    )
    url = reverse("backoffice:attachment", args=[attachment.pk])
    assert _logged_in(admin).get(url).status_code == 404
    log, references = _only_log()
    assert (log.context, log.granted, references) == (
        AccessContext.ATTACHMENT,
        False,
        {aid.reference},
    )


def test_a_refused_api_read_is_logged(make_ticket: Any, make_agent: Any) -> None:
    aid = make_ticket("demande-aide-sociale")
    response = _api(make_agent("etat-civil")).get(
        reverse("api:ticket-detail", args=[aid.reference])
    )
    assert response.status_code == 404
    log, _references = _only_log()
    assert (log.context, log.granted) == (AccessContext.API, False)


def test_refusals_of_ordinary_tickets_and_unknown_references_are_not_logged(
    make_ticket: Any, make_agent: Any
) -> None:
    pothole = make_ticket("nid-de-poule")
    client = _logged_in(make_agent("etat-civil"))
    assert client.get(reverse("backoffice:ticket", args=[pothole.reference])).status_code == 404
    assert client.get(reverse("backoffice:ticket", args=["1999-00001"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_log_page_shows_readable_contexts(make_ticket: Any, ccas: User, admin: User) -> None:
    aid: Ticket = make_ticket("demande-aide-sociale")
    _logged_in(ccas).get(reverse("backoffice:ticket", args=[aid.reference]))
    _api(ccas).get(reverse("api:ticket-detail", args=[aid.reference]))
    _logged_in(admin).get(reverse("backoffice:ticket", args=[aid.reference]))
    response = _logged_in(admin).get(reverse("admin:privacy_accesslog_changelist"))
    assert response.status_code == 200
    text = response.text
    assert '<td class="field-context">fiche de la demande</td>' in text
    assert '<td class="field-context">API</td>' in text
    assert '<td class="field-context">ticket_page' not in text
    assert aid.reference in text
    assert aid.subject not in text, "the log names the ticket, it does not show it"
