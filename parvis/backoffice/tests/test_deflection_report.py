"""« Demandes évitées »: the counts for administrators and heads of service."""

from typing import Any

from django.utils import timezone

from parvis.accounts.models import Membership
from parvis.catalog.models import RequestType
from parvis.knowledge.models import Article, Deflection


def _record(session: str, *kinds: str, article: Any, request_type: Any) -> None:
    for kind in kinds:
        Deflection.objects.create(
            session=session, kind=kind, article=article, request_type=request_type
        )


def test_a_head_of_service_reads_the_counts_in_few_queries(
    login, knowledge, etat_civil_agent, django_assert_max_num_queries
):
    Membership.objects.filter(user=etat_civil_agent).update(role=Membership.Role.MANAGER)
    article = Article.objects.get(slug="carte-nationale-d-identite")
    question = RequestType.objects.get(slug="question-generale")
    _record("a" * 22, "shown", "opened", "answered", article=article, request_type=question)
    _record("b" * 22, "shown", article=article, request_type=question)
    _record("c" * 22, "shown", "opened", "answered", article=article, request_type=question)
    Deflection.objects.create(session="c" * 22, kind="submitted", request_type=question)
    client = login(etat_civil_agent)
    with django_assert_max_num_queries(12):
        response = client.get("/agents/fiches/demandes-evitees/?jours=7")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Carte nationale d&#x27;identité - demande et renouvellement" in page
    assert "<dd>1 (33 %)</dd>" in page, "3 forms shown, 1 avoided (the third one was sent)"
    assert timezone.localdate().strftime("%d/%m/%Y") in page


def test_an_agent_who_is_not_head_of_service_is_refused(login, etat_civil_agent):
    response = login(etat_civil_agent).get("/agents/fiches/demandes-evitees/")
    assert response.status_code == 403
    assert "réservée aux administrateurs et responsables de service" in response.content.decode()
