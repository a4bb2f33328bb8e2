"""The actions of the ticket page: reply, note, assign, status, priority, transfer.

Each is a POST to its own URL: success redirects back with a French notice; invalid input
comes back with the errors and the text kept. (Not-visible tickets: see test_visibility.py.)
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parvis.catalog.models import Service
from parvis.tickets.models import Attachment, Event, Message, Priority, Status, Ticket
from parvis.tickets.structures import RequesterData


def url(name: str, ticket: Ticket) -> str:
    return reverse(f"backoffice:{name}", args=[ticket.reference])


def notices(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def a_pdf(name: str = "devis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.mark.parametrize("name", ["reply", "note", "assign", "status", "transfer", "priority"])
def test_actions_refuse_get(login: Any, voirie_agent: Any, pothole: Ticket, name: str) -> None:
    assert login(voirie_agent).get(url(name, pothole)).status_code == 405


# --- reply -----------------------------------------------------------------------------------


def test_a_reply_is_recorded_and_the_agent_comes_back_with_a_notice(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(
        url("reply", pothole), {"body": "Nous passons jeudi."}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("ticket", pothole)
    assert "Réponse envoyée à camille@example.fr." in notices(response)
    message = Message.objects.get(ticket=pothole, kind=Message.Kind.REPLY)
    assert message.body == "Nous passons jeudi." and message.author == voirie_agent
    pothole.refresh_from_db()
    assert pothole.status == Status.IN_PROGRESS
    assert pothole.assignee == voirie_agent


def test_a_reply_can_wait_for_the_citizen(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    login(voirie_agent).post(
        url("reply", pothole), {"body": "Quel numéro ?", "wait_for_citizen": "on"}
    )
    pothole.refresh_from_db()
    assert pothole.status == Status.WAITING


def test_a_reply_emails_the_citizen(
    login: Any,
    voirie_agent: Any,
    pothole: Ticket,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        login(voirie_agent).post(url("reply", pothole), {"body": "Réparation prévue jeudi."})
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["camille@example.fr"]
    assert pothole.reference in mail.subject
    assert "Réparation prévue jeudi." in mail.body


def test_a_reply_to_a_requester_without_email_warns_the_agent(
    login: Any,
    voirie_agent: Any,
    make_ticket: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ticket = make_ticket("nid-de-poule", requester=RequesterData("Paul Girard", phone="0612345678"))
    with django_capture_on_commit_callbacks(execute=True):
        response = login(voirie_agent).post(url("reply", ticket), {"body": "Vu."}, follow=True)
    assert not mailoutbox
    assert any("pas de courriel" in n for n in notices(response))


def test_a_reply_keeps_its_files(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    login(voirie_agent).post(
        url("reply", pothole),
        {"body": "Ci-joint.", "attachments": [a_pdf("a.pdf"), a_pdf("b.pdf")]},
    )
    message = Message.objects.get(ticket=pothole, kind=Message.Kind.REPLY)
    assert sorted(a.original_name for a in message.attachments.all()) == ["a.pdf", "b.pdf"]
    assert all(a.is_public for a in message.attachments.all())


def test_an_empty_reply_comes_back_with_an_error(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(
        url("reply", pothole), {"body": "  ", "wait_for_citizen": "on"}
    )
    assert response.status_code == 200
    assert "Écrivez la réponse avant de l&#x27;envoyer." in response.text
    assert not Message.objects.filter(ticket=pothole).exists()


def test_a_refused_file_keeps_the_reply_text(
    login: Any, voirie_agent: Any, pothole: Ticket, settings: Any
) -> None:
    program = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 200)
    response = login(voirie_agent).post(
        url("reply", pothole), {"body": "Mon texte précieux", "attachments": [program]}
    )
    assert response.status_code == 200
    assert "n&#x27;est pas d&#x27;un type accepté" in response.text
    assert "Mon texte précieux</textarea>" in response.text
    assert not Message.objects.filter(ticket=pothole).exists()


def test_an_oversized_file_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket, settings: Any
) -> None:
    settings.PARVIS_MAX_UPLOAD_BYTES = 10
    response = login(voirie_agent).post(
        url("note", pothole), {"body": "Photo", "attachments": [a_pdf()]}
    )
    assert "trop volumineux" in response.text
    assert not Attachment.objects.exists()


def test_too_many_files_are_refused(
    login: Any, voirie_agent: Any, pothole: Ticket, settings: Any
) -> None:
    settings.PARVIS_MAX_FILES_PER_MESSAGE = 1
    response = login(voirie_agent).post(
        url("reply", pothole), {"body": "x", "attachments": [a_pdf(), a_pdf()]}
    )
    assert "Vous pouvez joindre 1 fichier au plus (vous en avez choisi 2)." in response.text
    assert not Message.objects.exists()


# --- note ------------------------------------------------------------------------------------


def test_a_note_stays_internal_and_sends_nothing(
    login: Any,
    voirie_agent: Any,
    pothole: Ticket,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(voirie_agent).post(
            url("note", pothole),
            {"body": "Appeler le chef d'équipe.", "attachments": [a_pdf()]},
            follow=True,
        )
    assert "Note interne enregistrée." in notices(response)
    note = Message.objects.get(ticket=pothole, kind=Message.Kind.NOTE)
    assert note.attachments.get().is_public is False
    assert not mailoutbox


def test_an_empty_note_comes_back_with_an_error(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(url("note", pothole), {"body": ""})
    assert response.status_code == 200
    assert "Écrivez la note avant de l&#x27;enregistrer." in response.text
    assert not Message.objects.exists()


def test_a_note_that_is_too_long_keeps_its_text(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(url("note", pothole), {"body": "é" * 20_001})
    assert response.status_code == 200
    assert "é" * 100 in response.text
    assert not Message.objects.exists()


# --- assign ----------------------------------------------------------------------------------


def test_an_agent_takes_the_ticket(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    response = login(voirie_agent).post(url("assign", pothole), {"me": "1"}, follow=True)
    assert "La demande vous est attribuée." in notices(response)
    pothole.refresh_from_db()
    assert pothole.assignee == voirie_agent


def test_an_agent_gives_the_ticket_to_a_colleague(
    login: Any, voirie_agent: Any, make_agent: Any, pothole: Ticket
) -> None:
    colleague = make_agent("services-techniques", first_name="Inès", last_name="Blanc")
    response = login(voirie_agent).post(
        url("assign", pothole), {"assignee": colleague.pk, "assign": "1"}, follow=True
    )
    assert "La demande est attribuée à Inès Blanc." in notices(response)
    pothole.refresh_from_db()
    assert pothole.assignee == colleague


def test_the_assignee_list_holds_only_the_services_members(
    login: Any, voirie_agent: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).get(url("ticket", pothole))
    choices = [
        str(label) for _value, label in response.context["assign_form"].fields["assignee"].choices
    ]
    assert "Victor Roux" in choices and "Alice Durand" not in choices


def test_assigning_someone_outside_the_service_is_refused(
    login: Any, voirie_agent: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(url("assign", pothole), {"assignee": etat_civil_agent.pk})
    assert response.status_code == 200
    assert "Choisissez un agent du service de la demande." in response.text
    pothole.refresh_from_db()
    assert pothole.assignee is None


def test_a_superuser_outside_the_service_cannot_take_it(login: Any, pothole: Ticket) -> None:
    from parvis.accounts.models import User

    admin = User.objects.create_superuser(username="admin", password="x", email="a@mairie.test")
    response = login(admin).post(url("assign", pothole), {"me": "1"})
    assert response.status_code == 200
    assert "n&#x27;appartient pas au service" in response.text


def test_an_agent_unassigns_the_ticket(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    client = login(voirie_agent)
    client.post(url("assign", pothole), {"me": "1"})
    response = client.post(
        url("assign", pothole), {"unassign": "1", "assignee": voirie_agent.pk}, follow=True
    )
    assert "La demande n'est plus attribuée." in notices(response)
    pothole.refresh_from_db()
    assert pothole.assignee is None


# --- status and priority ---------------------------------------------------------------------


def test_the_status_changes(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    response = login(voirie_agent).post(
        url("status", pothole), {"status": "in_progress"}, follow=True
    )
    assert "Statut : en cours." in notices(response)
    pothole.refresh_from_db()
    assert pothole.status == Status.IN_PROGRESS
    assert "Statut : nouvelle → en cours" in response.text


def test_resolving_tells_the_citizen(
    login: Any,
    voirie_agent: Any,
    pothole: Ticket,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        login(voirie_agent).post(url("status", pothole), {"status": "resolved"})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["camille@example.fr"]


@pytest.mark.parametrize("value", ["", "deleted", "<script>"])
def test_an_unknown_status_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket, value: str
) -> None:
    response = login(voirie_agent).post(url("status", pothole), {"status": value})
    assert response.status_code == 200
    assert "errorlist" in response.text
    pothole.refresh_from_db()
    assert pothole.status == Status.NEW


def test_the_priority_changes(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    response = login(voirie_agent).post(url("priority", pothole), {"priority": "4"}, follow=True)
    assert "Priorité : urgente." in notices(response)
    pothole.refresh_from_db()
    assert pothole.priority == Priority.URGENT


@pytest.mark.parametrize("value", ["", "9", "haute"])
def test_an_unknown_priority_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket, value: str
) -> None:
    response = login(voirie_agent).post(url("priority", pothole), {"priority": value})
    assert response.status_code == 200
    assert "errorlist" in response.text
    pothole.refresh_from_db()
    assert pothole.priority == Priority.NORMAL


# --- transfer --------------------------------------------------------------------------------


def test_a_transfer_to_a_service_the_agent_is_not_in_returns_to_the_queue(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    urbanisme = Service.objects.get(slug="urbanisme")
    response = login(voirie_agent).post(
        url("transfer", pothole),
        {"service": urbanisme.pk, "reason": "Concerne un permis"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("backoffice:queue")
    assert any(
        "transférée au service Urbanisme" in n and "ne figure plus" in n for n in notices(response)
    )
    pothole.refresh_from_db()
    assert pothole.service == urbanisme
    event = Event.objects.get(ticket=pothole, kind=Event.Kind.TRANSFERRED)
    assert event.data["reason"] == "Concerne un permis"


def test_a_transfer_within_the_agents_services_stays_on_the_ticket(
    login: Any, make_agent: Any, pothole: Ticket
) -> None:
    agent = make_agent("services-techniques", "urbanisme")
    urbanisme = Service.objects.get(slug="urbanisme")
    response = login(agent).post(
        url("transfer", pothole), {"service": urbanisme.pk, "reason": "Permis"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("ticket", pothole)
    assert "La demande est transférée au service Urbanisme." in notices(response)


def test_every_service_is_offered_except_the_current_one(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).get(url("ticket", pothole))
    services = response.context["transfer_form"].fields["service"].queryset
    assert services.count() == Service.objects.count() - 1
    assert pothole.service not in services


def test_a_transfer_without_reason_is_refused_and_keeps_the_choice(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    urbanisme = Service.objects.get(slug="urbanisme")
    response = login(voirie_agent).post(
        url("transfer", pothole), {"service": urbanisme.pk, "reason": " "}
    )
    assert response.status_code == 200
    assert "Indiquez le motif du transfert." in response.text
    assert f'<option value="{urbanisme.pk}" selected>' in response.text
    pothole.refresh_from_db()
    assert pothole.service.slug == "services-techniques"


@pytest.mark.parametrize("service", ["", "abc", "999999"])
def test_a_transfer_to_no_valid_service_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket, service: str
) -> None:
    response = login(voirie_agent).post(
        url("transfer", pothole), {"service": service, "reason": "Motif gardé"}
    )
    assert response.status_code == 200
    assert "Motif gardé</textarea>" in response.text
    assert not Event.objects.filter(kind=Event.Kind.TRANSFERRED).exists()


def test_a_transfer_to_the_same_service_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).post(
        url("transfer", pothole), {"service": pothole.service_id, "reason": "x"}
    )
    assert response.status_code == 200
    assert "Choisissez un autre service" in response.text


def test_the_status_list_offers_only_the_moves_the_lifecycle_allows(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    Ticket.objects.filter(pk=pothole.pk).update(status=Status.CLOSED)
    response = login(voirie_agent).get(reverse("backoffice:ticket", args=[pothole.reference]))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert choices == ["in_progress", "closed"]


def test_a_move_the_lifecycle_forbids_comes_back_with_a_french_error(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    page = client.get(reverse("backoffice:ticket", args=[pothole.reference]))
    assert page.status_code == 200
    Ticket.objects.filter(pk=pothole.pk).update(status=Status.CLOSED)  # a colleague closed it
    response = client.post(url("status", pothole), {"status": "waiting"})
    assert response.status_code == 200
    assert "Choisissez un statut dans la liste" in response.text or "ne peut pas" in response.text
    pothole.refresh_from_db()
    assert pothole.status == Status.CLOSED


@pytest.mark.parametrize("name", ["facture.js", "avis.vbs", "mise-a-jour.ps1"])
def test_a_script_is_refused_and_the_reply_kept(
    login: Any, voirie_agent: Any, pothole: Ticket, name: str
) -> None:
    script = SimpleUploadedFile(name, b'CreateObject("WScript.Shell").Run "calc.exe"\r\n')
    response = login(voirie_agent).post(
        url("reply", pothole), {"body": "Mon texte précieux", "attachments": [script]}
    )
    assert response.status_code == 200
    extension = name[name.rindex(".") :]
    assert f"« {name} » : les fichiers « {extension} » ne sont pas acceptés." in response.text
    assert "Mon texte précieux</textarea>" in response.text
    assert not Message.objects.filter(ticket=pothole).exists()
