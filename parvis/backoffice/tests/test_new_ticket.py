"""The phone / counter form: a ticket typed by an agent, with or without a démarche."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parvis.accounts.models import Requester
from parvis.catalog.models import RequestType
from parvis.tickets.models import Channel, Event, Priority, Ticket

NEW = reverse("backoffice:new_ticket")


def phone_call(**overrides: Any) -> dict[str, Any]:
    data = {
        "requester_name": "Hélène Faure",
        "requester_email": "helene@example.fr",
        "requester_phone": "06 98 76 54 32",
        "channel": "phone",
        "request_type": "",
        "subject": "Lampadaire éteint rue des Lilas",
        "description": "Depuis trois jours.",
        "priority": "2",
    }
    data.update(overrides)
    return data


def pothole_fields(request_type: RequestType) -> dict[str, Any]:
    return {
        "request_type": str(request_type.pk),
        "f-location": "3 place de la Mairie",
        "f-surface_type": "trottoir",
        "f-hazard_level": "dangereux",
    }


@pytest.fixture
def accueil_agent(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", "services-techniques", first_name="Nora", last_name="Accueil")


def test_the_form_defaults_to_the_phone_channel(login: Any, accueil_agent: Any) -> None:
    response = login(accueil_agent).get(NEW)
    assert response.status_code == 200
    assert 'value="phone"' in response.text
    assert response.context["form"]["channel"].value() == "phone"
    assert "Téléphone ou accueil" in response.text and "Courrier" in response.text


def test_every_active_demarche_is_offered_grouped_by_service_internal_ones_included(
    login: Any, accueil_agent: Any
) -> None:
    RequestType.objects.filter(slug="graffiti").update(is_active=False)
    text = login(accueil_agent).get(NEW).text
    assert '<optgroup label="Services techniques">' in text
    assert '<optgroup label="Informatique">' in text
    assert "(interne)" in text
    assert RequestType.objects.get(slug="graffiti").name not in text


def test_without_a_demarche_the_ticket_is_routed_by_keywords(
    login: Any, accueil_agent: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(accueil_agent).post(NEW, phone_call(), follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "backoffice:new_ticket_done", args=[ticket.reference]
    )
    assert ticket.service.slug == "services-techniques"
    assert ticket.channel == Channel.PHONE
    assert ticket.request_type is None
    assert ticket.requester.name == "Hélène Faure" and ticket.requester.phone == "06 98 76 54 32"
    created = Event.objects.get(ticket=ticket, kind=Event.Kind.CREATED)
    assert created.actor == accueil_agent
    assert "Numéro de suivi à communiquer" in response.text
    big = f'<strong class="reference reference-huge" id="reference-to-read">{ticket.reference}'
    assert big in response.text
    assert "Services techniques" in response.text
    assert reverse("backoffice:ticket", args=[ticket.reference]) in response.text
    assert reverse("backoffice:new_ticket") in response.text
    assert [m.to for m in mailoutbox] == [["helene@example.fr"]]


def test_with_a_demarche_its_fields_are_validated_and_stored(
    login: Any, accueil_agent: Any
) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    data = phone_call(subject="Trou", priority="3", **pothole_fields(pothole))
    response = login(accueil_agent).post(NEW, data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.request_type == pothole
    assert ticket.field_values == {
        "location": "3 place de la Mairie",
        "surface_type": "trottoir",
        "hazard_level": "dangereux",
    }
    assert ticket.location_address == "3 place de la Mairie"
    assert ticket.priority == Priority.HIGH


def test_a_letter_is_recorded_as_postal(login: Any, accueil_agent: Any) -> None:
    login(accueil_agent).post(
        NEW, phone_call(channel="postal", requester_email="", requester_phone="")
    )
    assert Ticket.objects.get().channel == Channel.POSTAL


def test_an_internal_demarche_can_be_filed(login: Any, accueil_agent: Any) -> None:
    internal = RequestType.objects.filter(visibility=RequestType.Visibility.INTERNAL).first()
    assert internal is not None
    response = login(accueil_agent).get(
        reverse("backoffice:type_fields"), {"request_type": internal.pk}
    )
    assert response.status_code == 200


def test_missing_fields_come_back_with_errors_and_what_was_typed(
    login: Any, accueil_agent: Any
) -> None:
    response = login(accueil_agent).post(
        NEW, phone_call(subject="", requester_email="pas-un-courriel")
    )
    assert response.status_code == 200
    assert "Indiquez l&#x27;objet de la demande" in response.text
    assert "Saisissez une adresse valide" in response.text
    assert 'value="Hélène Faure"' in response.text
    assert "Depuis trois jours.</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_missing_demarche_fields_come_back_with_the_fields_filled(
    login: Any, accueil_agent: Any
) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    data = phone_call(**pothole_fields(pothole))
    data["f-hazard_level"] = ""
    response = login(accueil_agent).post(NEW, data)
    assert response.status_code == 200
    assert 'name="f-hazard_level"' in response.text
    assert 'value="3 place de la Mairie"' in response.text
    assert '<option value="trottoir" selected>' in response.text
    assert response.context["fields_form"].errors["hazard_level"]
    assert not Ticket.objects.exists()


def test_an_unknown_demarche_is_refused(login: Any, accueil_agent: Any) -> None:
    response = login(accueil_agent).post(NEW, phone_call(request_type="999999"))
    assert response.status_code == 200
    assert "Choisissez une démarche dans la liste." in response.text
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "field,value", [("channel", "email"), ("priority", "12"), ("requester_name", "")]
)
def test_other_bad_values_are_refused(
    login: Any, accueil_agent: Any, field: str, value: str
) -> None:
    response = login(accueil_agent).post(NEW, phone_call(**{field: value}))
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not Ticket.objects.exists()


def test_a_refused_file_in_a_demarche_field_is_reported_on_the_field(
    login: Any, accueil_agent: Any
) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    data = phone_call(**pothole_fields(pothole))
    data["f-photo"] = SimpleUploadedFile("photo.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = login(accueil_agent).post(NEW, data)
    assert response.status_code == 200
    assert "n&#x27;est pas d&#x27;un type accepté" in response.text
    assert not Ticket.objects.exists()


def test_a_valid_file_in_a_demarche_field_is_attached(login: Any, accueil_agent: Any) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    data = phone_call(**pothole_fields(pothole))
    data["f-photo"] = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%x\n")
    assert login(accueil_agent).post(NEW, data).status_code == 302
    attachment = Ticket.objects.get().attachments.get()
    assert (attachment.field_key, attachment.original_name) == ("photo", "plan.pdf")


def test_choosing_a_demarche_loads_its_fields(login: Any, accueil_agent: Any) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    response = login(accueil_agent).get(
        reverse("backoffice:type_fields"), {"request_type": pothole.pk}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'name="f-location"' in response.text and 'name="f-hazard_level"' in response.text
    assert "Signaler un nid-de-poule" in response.text
    assert "errorlist" not in response.text  # an empty form shows no errors yet


@pytest.mark.parametrize("value", ["", "abc", "0", "999999"])
def test_no_or_unknown_demarche_loads_no_fields(login: Any, accueil_agent: Any, value: str) -> None:
    response = login(accueil_agent).get(reverse("backoffice:type_fields"), {"request_type": value})
    assert response.status_code == 200
    assert "name=" not in response.text


def test_without_javascript_a_button_shows_the_demarche_fields(
    login: Any, accueil_agent: Any
) -> None:
    pothole = RequestType.objects.get(slug="nid-de-poule")
    response = login(accueil_agent).post(NEW, phone_call(request_type=str(pothole.pk), reload="1"))
    assert response.status_code == 200
    assert 'name="f-location"' in response.text
    assert 'value="Hélène Faure"' in response.text
    assert "errorlist" not in response.text
    assert not Ticket.objects.exists()


def test_picking_a_requester_prefills_their_details(login: Any, accueil_agent: Any) -> None:
    requester = Requester.objects.create(
        name="Marc Lenoir", email="marc@example.fr", phone="0601020304"
    )
    client = login(accueil_agent)
    page = client.get(NEW, {"requester": requester.pk})
    assert 'value="Marc Lenoir"' in page.text and 'value="marc@example.fr"' in page.text
    partial = client.get(reverse("backoffice:requester_fields"), {"requester": requester.pk})
    assert 'id="requester-fields"' in partial.text and "<html" not in partial.text
    assert 'value="0601020304"' in partial.text
    assert client.get(NEW, {"requester": "abc"}).status_code == 200


def test_the_same_requester_is_found_again(
    login: Any, accueil_agent: Any, make_ticket: Any
) -> None:
    from parvis.tickets.structures import RequesterData

    make_ticket("nid-de-poule", requester=RequesterData("Hélène Faure", "helene@example.fr"))
    login(accueil_agent).post(NEW, phone_call())
    assert Requester.objects.filter(email="helene@example.fr").count() == 1
    assert Ticket.objects.count() == 2


def test_the_confirmation_is_shown_even_when_another_service_handles_it(
    login: Any, etat_civil_agent: Any
) -> None:
    response = login(etat_civil_agent).post(NEW, phone_call(), follow=True)
    ticket = Ticket.objects.get()
    assert ticket.service.slug == "services-techniques"
    assert ticket.reference in response.text
    assert reverse("backoffice:ticket", args=[ticket.reference]) not in response.text
    assert "vous ne pourrez pas l'ouvrir" in response.text


def test_the_confirmation_of_someone_elses_ticket_is_a_404(
    login: Any, accueil_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    url = reverse("backoffice:new_ticket_done", args=[ticket.reference])
    assert login(accueil_agent).get(url).status_code == 404


def test_script_tags_typed_in_the_form_are_escaped(login: Any, accueil_agent: Any) -> None:
    client = login(accueil_agent)
    client.post(NEW, phone_call(subject="<script>alert(1)</script>", requester_name="<b>x</b>"))
    ticket = Ticket.objects.get()
    text = client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    assert "<script>alert(1)" not in text and "<b>x</b>" not in text
    response = client.post(
        NEW, phone_call(subject="<script>alert(2)</script>", requester_email="bad")
    )
    assert "<script>alert(2)" not in response.text


def test_the_page_title_announces_errors(login: Any, accueil_agent: Any) -> None:
    client = login(accueil_agent)
    assert "<title>Nouvelle demande" in client.get(NEW).text
    assert "<title>Erreur — Nouvelle demande" in client.post(NEW, phone_call(subject="")).text


TOKEN_INPUT = re.compile(r'<input type="hidden" name="submission_token" value="([^"]+)"')


def test_the_form_sent_twice_with_its_token_makes_one_ticket_and_shows_it_again(
    login: Any, accueil_agent: Any
) -> None:
    """A double click, or the form sent again after a time-out, at the counter."""
    client = login(accueil_agent)
    token = TOKEN_INPUT.search(client.get(NEW).text)
    assert token, "the form carries no one-time token"
    call = phone_call(submission_token=token.group(1))

    first = client.post(NEW, call)
    second = client.post(NEW, call)

    ticket = Ticket.objects.get()
    done = reverse("backoffice:new_ticket_done", args=[ticket.reference])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == done
    assert ticket.reference in client.get(done).text


def test_the_form_changed_then_sent_with_the_same_token_shows_the_first_ticket(
    login: Any, accueil_agent: Any
) -> None:
    client = login(accueil_agent)
    token = TOKEN_INPUT.search(client.get(NEW).text)
    assert token
    client.post(NEW, phone_call(submission_token=token.group(1)))
    changed = client.post(
        NEW, phone_call(submission_token=token.group(1), subject="Autre chose"), follow=True
    )

    ticket = Ticket.objects.get()
    assert ticket.subject == "Lampadaire éteint rue des Lilas"
    assert ticket.reference in changed.text
    assert "déjà enregistrée" in changed.text


def test_each_form_shown_gets_a_new_token_and_keeps_it_when_redrawn(
    login: Any, accueil_agent: Any
) -> None:
    client = login(accueil_agent)
    first = TOKEN_INPUT.search(client.get(NEW).text)
    second = TOKEN_INPUT.search(client.get(NEW).text)
    assert first and second and first.group(1) != second.group(1)
    refused = client.post(NEW, phone_call(submission_token=first.group(1), requester_name=""))
    kept = TOKEN_INPUT.search(refused.text)
    assert kept and kept.group(1) == first.group(1)
    assert not Ticket.objects.exists()
