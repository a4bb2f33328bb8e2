"""Writing a reply: canned responses per service, articles to insert, a reply made an article."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parvis.catalog.models import Service
from parvis.knowledge.canned import (
    CannedContent,
    canned_response_create,
    canned_response_update,
    fill_placeholders,
)
from parvis.knowledge.from_reply import without_personal_data
from parvis.knowledge.models import Article, CannedResponse
from parvis.tickets import actions
from parvis.tickets.structures import RequesterData

BODY = "Bonjour {nom},\nVotre demande {numero} ({demarche}) est prête. {agent}, {service}"


@pytest.fixture
def canned(etat_civil_agent: Any) -> CannedResponse:
    return canned_response_create(
        actor=etat_civil_agent,
        content=CannedContent(
            service=Service.objects.get(slug="etat-civil"), title="Acte prêt", body=BODY
        ),
    )


@pytest.fixture
def birth(make_ticket: Any) -> Any:
    return make_ticket(
        "acte-de-naissance",
        subject="Copie intégrale pour Jean-Paul Lefèvre",
        requester=RequesterData("Jean-Paul Lefèvre", "jp.lefevre@example.fr", "06 12 34 56 78"),
    )


def test_placeholders_are_filled_with_the_tickets_facts(canned, birth, etat_civil_agent):
    text = fill_placeholders(canned.body, ticket=birth, agent=etat_civil_agent)
    assert text == (
        f"Bonjour Jean-Paul Lefèvre,\nVotre demande {birth.reference} (Demande d'acte de "
        f"naissance) est prête. Alice Durand, État civil"
    )


def test_an_unknown_placeholder_is_refused_in_french_at_save_time(etat_civil_agent):
    with pytest.raises(ValidationError) as refused:
        canned_response_create(
            actor=etat_civil_agent,
            content=CannedContent(
                service=Service.objects.get(slug="etat-civil"),
                title="Faute de frappe",
                body="Bonjour {prenom} {nom}, {numéro}",
            ),
        )
    message = refused.value.messages[0]
    assert message.startswith("Champ inconnu : {prenom}, {numéro}.")
    assert "{nom}" in message and "{numero}" in message and "{demarche}" in message
    assert not CannedResponse.objects.exists()


def test_the_form_shows_the_placeholder_error_and_keeps_the_text(login, etat_civil_agent):
    service = Service.objects.get(slug="etat-civil")
    response = login(etat_civil_agent).post(
        "/agents/reponses-types/nouvelle/",
        {"service": service.pk, "title": "Essai", "body": "Bonjour {prénom}"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Champ inconnu : {prénom}" in page and "Bonjour {prénom}" in page


def test_an_agent_writes_and_changes_a_canned_response(login, etat_civil_agent):
    client = login(etat_civil_agent)
    service = Service.objects.get(slug="etat-civil")
    response = client.post(
        "/agents/reponses-types/nouvelle/",
        {"service": service.pk, "title": "Acte prêt", "body": BODY},
    )
    assert response.status_code == 302
    canned = CannedResponse.objects.get()
    client.post(
        f"/agents/reponses-types/{canned.pk}/",
        {"service": service.pk, "title": "Acte disponible", "body": "Bonjour {nom}"},
    )
    canned.refresh_from_db()
    assert (canned.title, canned.body, canned.updated_by) == (
        "Acte disponible",
        "Bonjour {nom}",
        etat_civil_agent,
    )


def test_the_list_shows_only_the_agents_services_in_few_queries(
    login, canned, voirie_agent, etat_civil_agent, django_assert_max_num_queries
):
    canned_response_create(
        actor=voirie_agent,
        content=CannedContent(
            service=Service.objects.get(slug="services-techniques"),
            title="Trou rebouché",
            body="Bonjour {nom}, c'est fait.",
        ),
    )
    client = login(voirie_agent)
    with django_assert_max_num_queries(10):
        page = client.get("/agents/reponses-types/").content.decode()
    assert "Trou rebouché" in page and "Acte prêt" not in page


def test_an_agent_of_another_service_cannot_edit_or_use_it(login, canned, voirie_agent, pothole):
    client = login(voirie_agent)
    assert client.get(f"/agents/reponses-types/{canned.pk}/").status_code == 403
    roads = Service.objects.get(slug="services-techniques")
    response = client.post(
        f"/agents/reponses-types/{canned.pk}/",
        {"service": roads.pk, "title": "Volée", "body": "x"},
    )
    assert response.status_code == 403
    assert CannedResponse.objects.get().title == "Acte prêt"
    with pytest.raises(PermissionDenied):
        canned_response_update(
            response=canned,
            actor=voirie_agent,
            content=CannedContent(service=roads, title="Volée", body="x"),
        )
    page = client.get(f"/agents/demandes/{pothole.reference}/").content.decode()
    assert "Acte prêt" not in page


def test_the_ticket_page_offers_the_services_canned_responses_filled_in(
    login, canned, birth, etat_civil_agent
):
    page = login(etat_civil_agent).get(f"/agents/demandes/{birth.reference}/").content.decode()
    assert "Insérer une réponse type" in page and "Acte prêt" in page
    assert "Bonjour Jean-Paul Lefèvre" in page and "{numero}" not in page


def test_articles_to_insert_link_to_their_public_page(login, knowledge, birth, etat_civil_agent):
    response = login(etat_civil_agent).get(
        f"/agents/demandes/{birth.reference}/fiches/",
        {"q": "acte de naissance"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Insérer le lien" in page and "Insérer un extrait" in page
    assert "http://testserver/aide/fiches/" in page


def test_a_reply_becomes_a_draft_article_without_the_requesters_data(
    login, knowledge, birth, etat_civil_agent
):
    reply = actions.ticket_reply(
        ticket=birth,
        actor=etat_civil_agent,
        body=(
            f"Bonjour Monsieur Lefèvre,\nPour votre demande {birth.reference}, l'acte est "
            "prêt. Jean-Paul, vous pouvez venir le chercher ; en cas de souci appelez-nous, "
            "nous vous rappellerons au 06 12 34 56 78 ou écrivez à jp.lefevre@example.fr.\n"
            "Suivi : https://mairie.example/suivi/abc123/"
        ),
    )
    response = login(etat_civil_agent).post(
        f"/agents/demandes/{birth.reference}/reponses/{reply.pk}/fiche/"
    )
    article = Article.objects.filter(state=Article.State.DRAFT).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/agents/fiches/{article.pk}/"
    assert article.service.slug == "etat-civil"
    for personal in ("Lefèvre", "Jean-Paul", birth.reference, "06 12", "jp.lefevre", "abc123"):
        assert personal.lower() not in (article.title + article.body).lower(), personal
    assert "l'acte est prêt" in article.body and "[nom]" in article.body
    assert article.published_at is None


def test_only_replies_can_become_articles(login, birth, etat_civil_agent):
    note = actions.ticket_add_note(ticket=birth, actor=etat_civil_agent, body="Interne")
    response = login(etat_civil_agent).post(
        f"/agents/demandes/{birth.reference}/reponses/{note.pk}/fiche/"
    )
    assert response.status_code == 404


def test_personal_data_is_removed_even_from_other_spellings(birth):
    text = without_personal_data("M. LEFÈVRE, joignable au +33 6 12 34 56 78.", birth)
    assert "LEFÈVRE" not in text and "+33" not in text
