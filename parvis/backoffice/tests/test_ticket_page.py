"""The agents' ticket page: facts, structured values, files, the whole timeline in French."""

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.accounts.models import Requester
from parvis.catalog.models import Service
from parvis.privacy.models import AccessLog
from parvis.tickets import actions
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Attachment, Channel, Priority, Status, Ticket, TicketFollower
from parvis.tickets.structures import RequesterData


def page(client: Any, ticket: Ticket) -> Any:
    response = client.get(reverse("backoffice:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return response


def pdf(name: str = "courrier.pdf") -> CheckedFile:
    data = b"%PDF-1.4\n%test\n"
    return CheckedFile(
        name=name,
        content=ContentFile(data, name=name),
        content_type="application/pdf",
        size=len(data),
    )


def test_an_unknown_reference_is_a_404(login: Any, voirie_agent: Any) -> None:
    assert (
        login(voirie_agent).get(reverse("backoffice:ticket", args=["2026-99999"])).status_code
        == 404
    )


def test_it_shows_the_facts_and_the_requester(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket(
        "nid-de-poule",
        subject="Trou devant l'école",
        requester=RequesterData("Jeanne Moreau", "jeanne@example.fr", "06 11 22 33 44"),
        channel=Channel.PHONE,
    )
    text = page(login(voirie_agent), ticket).text
    for expected in (
        ticket.reference,
        "Trou devant l&#x27;école",
        "Nouvelle",
        "Normale",
        "Services techniques",
        "Signaler un nid-de-poule",
        "Téléphone / accueil",
        "Jeanne Moreau",
        "jeanne@example.fr",
        "06 11 22 33 44",
        "12 rue Victor Hugo",
        "Aucune autre demande de cet usager",
    ):
        assert expected in text, expected


def test_it_shows_the_structured_values_with_their_labels(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    text = page(login(voirie_agent), pothole).text
    assert "Où se trouve la dégradation ?" in text
    assert "Chaussée" in text  # the choice's label, not its value "chaussee"


def test_it_links_to_the_requesters_other_tickets(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    first = make_ticket("nid-de-poule")
    make_ticket("eclairage-public")
    make_ticket("acte-de-naissance")  # another service: not counted for this agent
    response = page(login(voirie_agent), first)
    assert "1 autre demande de cet usager" in response.text
    assert "q=camille%40example.fr" in response.context["requester_tickets_url"]


def test_the_form_files_are_downloadable(login: Any, voirie_agent: Any, make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule", field_files={"photo": pdf("photo.pdf")})
    client = login(voirie_agent)
    attachment = Attachment.objects.get(ticket=ticket)
    assert reverse("backoffice:attachment", args=[attachment.pk]) in page(client, ticket).text
    response = client.get(reverse("backoffice:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "photo.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_missing_file_is_a_404_not_a_crash(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule", field_files={"photo": pdf()})
    attachment = Attachment.objects.get(ticket=ticket)
    attachment.file.storage.delete(attachment.file.name)
    assert (
        login(voirie_agent).get(reverse("backoffice:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_downloading_a_confidential_file_is_logged(
    login: Any, ccas_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("demande-aide-sociale", field_files={"supporting_documents": pdf()})
    attachment = Attachment.objects.get(ticket=ticket)
    login(ccas_agent).get(reverse("backoffice:attachment", args=[attachment.pk]))
    assert AccessLog.objects.filter(tickets=ticket, context="attachment").count() == 1


def add_every_kind_of_event(
    ticket: Ticket, agent: Any, colleague: Any, other_service: Service
) -> None:
    actions.ticket_assign(ticket=ticket, actor=agent, assignee=colleague)
    actions.ticket_set_priority(ticket=ticket, actor=agent, priority=Priority.HIGH)
    actions.ticket_add_note(
        ticket=ticket, actor=agent, body="Voir avec l'équipe voirie.", files=[pdf("n.pdf")]
    )
    actions.ticket_reply(
        ticket=ticket, actor=agent, body="Nous intervenons jeudi.", files=[pdf("r.pdf")]
    )
    actions.ticket_add_citizen_message(ticket=ticket, body="Merci beaucoup.")
    actions.ticket_add_citizen_message(
        ticket=ticket, body="Toujours rien ?", is_follow_up=True, actor=agent
    )
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    actions.ticket_transfer(
        ticket=ticket, actor=agent, to_service=other_service, reason="Relève des espaces verts"
    )


def test_the_timeline_tells_every_event_in_french(
    login: Any, make_agent: Any, pothole: Ticket
) -> None:
    agent = make_agent("services-techniques", "urbanisme", first_name="Victor", last_name="Roux")
    colleague = make_agent("services-techniques", first_name="Inès", last_name="Blanc")
    add_every_kind_of_event(pothole, agent, colleague, Service.objects.get(slug="urbanisme"))
    response = page(login(agent), pothole)
    text = response.text
    for sentence in (
        "Demande reçue par formulaire en ligne",
        "Orientée vers le service Services techniques (motif : démarche « Signaler un nid-de-poule",
        "Attribuée à Inès Blanc",
        "Priorité : normale → haute",
        "Note interne (invisible pour l&#x27;usager)",
        "Voir avec l&#x27;équipe voirie.",
        "Réponse envoyée à l&#x27;usager",
        "Nous intervenons jeudi.",
        "Statut : nouvelle → en cours",
        "Message de l&#x27;usager",
        "Relance de l&#x27;usager",
        "Toujours rien ?",
        "Statut : en cours → résolue",
        "Transférée du service Services techniques au service Urbanisme "
        "(motif : Relève des espaces verts)",
        "n.pdf",
        "r.pdf",
    ):
        assert sentence in text, sentence
    assert 'class="kind-note is-internal"' in text
    assert "Victor Roux" in text


def test_an_unassignment_is_told_too(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    actions.ticket_assign(ticket=pothole, actor=voirie_agent, assignee=voirie_agent)
    actions.ticket_assign(ticket=pothole, actor=voirie_agent, assignee=None)
    assert "N&#x27;est plus attribuée à personne" in page(login(voirie_agent), pothole).text


def names_queries(client: Any, ticket: Ticket) -> tuple[str, list[str]]:
    """The page, and its queries of agents by id (the timeline's names)."""
    with CaptureQueriesContext(connection) as context:
        text = page(client, ticket).text
    return text, [
        q["sql"] for q in context.captured_queries if '"accounts_user"."id" IN' in q["sql"]
    ]


def test_the_agents_of_the_history_are_named_from_what_the_page_read_already(
    login: Any, voirie_agent: Any, make_agent: Any, pothole: Ticket
) -> None:
    colleague = make_agent("services-techniques", first_name="Inès", last_name="Blanc")
    actions.ticket_assign(ticket=pothole, actor=voirie_agent, assignee=colleague)
    client = login(voirie_agent)
    page(client, pothole)
    text, queries = names_queries(client, pothole)  # the service's agents, listed to assign
    assert "Attribuée à Inès Blanc" in text
    assert queries == []


def test_an_agent_who_left_the_service_is_still_named_in_the_history(
    login: Any, voirie_agent: Any, make_agent: Any, pothole: Ticket
) -> None:
    colleague = make_agent("services-techniques", first_name="Inès", last_name="Blanc")
    actions.ticket_assign(ticket=pothole, actor=voirie_agent, assignee=colleague)
    colleague.memberships.all().delete()
    client = login(voirie_agent)
    page(client, pothole)
    text, queries = names_queries(client, pothole)  # neither listed nor an actor: one query
    assert "Attribuée à Inès Blanc" in text
    assert len(queries) == 1


def queries_for_page(client: Any, ticket: Ticket) -> int:
    with CaptureQueriesContext(connection) as context:
        page(client, ticket)
    return len(context.captured_queries)


def test_the_lists_a_ticket_has_nothing_in_are_not_read(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    # No email: no acknowledgement mail either.
    requester = RequesterData("Camille Martin", email="", phone="0601020304")
    ticket = make_ticket("nid-de-poule", requester=requester)
    client = login(voirie_agent)
    page(client, ticket)
    with CaptureQueriesContext(connection) as context:
        text = page(client, ticket).text
    tables = ("tickets_ticketfollower", "notifications_mail", "tickets_attachment")
    read = [q["sql"] for q in context.captured_queries if q["sql"].startswith("SELECT")]
    # One query says that all three are empty (EXISTS), and none reads them.
    assert [sql for sql in read if all(table in sql for table in tables)] != []
    for table in tables:  # read as a list: the table itself, not a subquery's alias (U0)
        listed = re.compile(f'FROM "{table}"( INNER| LEFT| WHERE| ORDER|$)')
        assert not [sql for sql in read if listed.search(sql)], table
    assert "Aucun courriel pour cette demande." in text
    assert "Personnes qui suivent la demande" not in text


def test_the_number_of_queries_does_not_grow_with_the_events(
    login: Any, make_agent: Any, pothole: Ticket, django_assert_max_num_queries: Any
) -> None:
    agent = make_agent("services-techniques", "urbanisme", "espaces-verts")
    colleague = make_agent("services-techniques", "urbanisme")
    client = login(agent)
    # One message first: with none at all, Django skips the attachments prefetch query.
    actions.ticket_add_note(ticket=pothole, actor=agent, body="Première note")
    # A citizen's message too: its received mail, if any, is looked up (ticket_originals).
    actions.ticket_add_citizen_message(ticket=pothole, body="Une précision.")
    # And one follower: the list of followers is read only when there is one (ticket_panels).
    actions.ticket_follow(
        ticket=pothole,
        requester=Requester.objects.create(name="Voisine", email="voisine@example.fr"),
        actor=agent,
        reason=TicketFollower.Reason.ADDED_BY_AGENT,
    )
    page(client, pothole)  # the process renders the transfer form (its services) once
    few = queries_for_page(client, pothole)
    add_every_kind_of_event(pothole, agent, colleague, Service.objects.get(slug="urbanisme"))
    for number in range(5):  # more people following it: one query for them all
        neighbour = Requester.objects.create(name=f"Voisin {number}", email=f"v{number}@example.fr")
        actions.ticket_follow(
            ticket=pothole,
            requester=neighbour,
            actor=agent,
            reason=TicketFollower.Reason.ADDED_BY_AGENT,
        )
    for number in range(10):
        actions.ticket_add_note(
            ticket=pothole, actor=colleague, body=f"Note {number}", files=[pdf()]
        )
        actions.ticket_reply(ticket=pothole, actor=agent, body=f"Réponse {number}")
    pothole.refresh_from_db()
    assert pothole.events.count() > 30
    page(client, pothole)  # transferred to another service: its transfer form, rendered once
    assert queries_for_page(client, pothole) == few
    # 13th: whether it has mails, followers, files sent with it; 14th: its mails; 15th: who
    # follows it; 16th: the agent's canned responses
    with django_assert_max_num_queries(16):
        page(client, pothole)


@pytest.mark.parametrize("field", ["subject", "description"])
def test_script_tags_typed_by_a_citizen_are_escaped(
    login: Any, voirie_agent: Any, make_ticket: Any, field: str
) -> None:
    ticket = make_ticket("nid-de-poule", **{field: "<script>alert('x')</script>"})
    client = login(voirie_agent)
    for url in (reverse("backoffice:ticket", args=[ticket.reference]), reverse("backoffice:queue")):
        text = client.get(url).text
        assert "<script>alert" not in text
    assert (
        "&lt;script&gt;alert("
        in client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    )


def test_script_tags_in_messages_and_names_are_escaped(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket(
        "nid-de-poule", requester=RequesterData("<script>nom()</script>", "x@example.fr")
    )
    actions.ticket_add_citizen_message(ticket=ticket, body="<script>message()</script>")
    actions.ticket_add_note(ticket=ticket, actor=voirie_agent, body="<img src=x onerror=alert(1)>")
    text = page(login(voirie_agent), ticket).text
    assert "<script>nom()" not in text and "<script>message()" not in text
    assert "<img src=x" not in text
    assert "&lt;script&gt;message()&lt;/script&gt;" in text


def test_the_action_forms_rendered_once_still_show_each_tickets_own_values(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    client = login(voirie_agent)
    first = make_ticket("nid-de-poule")
    second = make_ticket("eclairage-public")
    actions.ticket_change_status(ticket=second, actor=voirie_agent, status=Status.IN_PROGRESS)
    actions.ticket_set_priority(ticket=second, actor=voirie_agent, priority=Priority.URGENT)

    assert '<option value="new" selected>' in page(client, first).text
    text = page(client, second).text
    assert '<option value="in_progress" selected>' in text
    assert f'<option value="{Priority.URGENT.value}" selected>' in text
    assert '<option value="new" selected>' not in text


def test_a_new_service_appears_at_once_in_the_transfer_form(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    assert "Jumelages" not in page(client, pothole).text
    Service.objects.create(slug="jumelages", name="Jumelages")
    assert "Jumelages" in page(client, pothole).text


def test_the_assignment_list_follows_the_services_agents_and_the_assignee_at_once(
    login: Any, voirie_agent: Any, make_agent: Any, pothole: Ticket
) -> None:
    # Its HTML is kept per process: a new agent, a renamed one, a new assignee, a departure
    # show on the next page without any catalogue change.
    client = login(voirie_agent)
    assert "Inès Garnier" not in page(client, pothole).text
    newcomer = make_agent(
        "services-techniques", username="ines", first_name="Inès", last_name="Garnier"
    )
    assert "Inès Garnier</option>" in page(client, pothole).text
    newcomer.last_name = "Garnier-Roy"
    newcomer.save()
    assert "Inès Garnier-Roy</option>" in page(client, pothole).text
    actions.ticket_assign(ticket=pothole, actor=voirie_agent, assignee=newcomer)
    assert f'<option value="{newcomer.pk}" selected>' in page(client, pothole).text
    newcomer.is_active = False
    newcomer.save()
    assert "Inès Garnier-Roy</option>" not in page(client, pothole).text


def test_a_form_with_errors_comes_back_with_them_and_what_was_typed(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    page(client, pothole)  # the blank transfer form is rendered and kept
    urbanisme = Service.objects.get(slug="urbanisme")
    response = client.post(
        reverse("backoffice:transfer", args=[pothole.reference]),
        {"service": urbanisme.pk, "reason": ""},
    )
    assert response.status_code == 200  # the ticket page again, the form with its error
    assert "Indiquez le motif du transfert." in response.text
    assert f'<option value="{urbanisme.pk}" selected>' in response.text
    assert "Indiquez le motif du transfert." not in page(client, pothole).text


def test_a_file_stored_under_a_scripts_name_downloads_with_its_types_extension(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    # Kept before extensions were checked: text that Windows would run as "avis.js".
    ticket = make_ticket("nid-de-poule", field_files={"photo": pdf("avis.js")})
    attachment = Attachment.objects.get(ticket=ticket)
    response = login(voirie_agent).get(reverse("backoffice:attachment", args=[attachment.pk]))
    assert 'filename="avis.pdf"' in response["Content-Disposition"]
