"""Downloading from the tracking page: only that ticket's public files, never shown inline."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from parvis.tickets.actions import ticket_add_note
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Attachment

pytestmark = pytest.mark.django_db


def _file(name="lettre.txt", text=b"Bonjour la mairie"):
    return CheckedFile(
        name=name, content=ContentFile(text, name=name), content_type="text/plain", size=len(text)
    )


def test_it_serves_a_public_file_as_a_download(client, make_ticket):
    ticket = make_ticket("acte-de-naissance", files=[_file()])
    attachment = Attachment.objects.get()
    response = client.get(reverse("portal:attachment", args=[ticket.tracking_token, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Bonjour la mairie"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="lettre.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Content-Type"].startswith("text/plain")


def test_it_refuses_an_internal_file(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    ticket_add_note(ticket=ticket, actor=make_agent("etat-civil"), body="Note", files=[_file()])
    attachment = Attachment.objects.get()
    url = reverse("portal:attachment", args=[ticket.tracking_token, attachment.pk])
    assert client.get(url).status_code == 404


def test_it_refuses_a_file_of_another_ticket(client, make_ticket):
    make_ticket("acte-de-naissance", files=[_file()])
    other = make_ticket("nid-de-poule")
    attachment = Attachment.objects.get()
    assert (
        client.get(
            reverse("portal:attachment", args=[other.tracking_token, attachment.pk])
        ).status_code
        == 404
    )


def test_a_file_stored_under_a_scripts_name_downloads_with_its_types_extension(client, make_ticket):
    # Kept before extensions were checked: text that Windows would run as "avis.vbs".
    ticket = make_ticket("acte-de-naissance", files=[_file(name="avis.vbs")])
    attachment = Attachment.objects.get()
    response = client.get(reverse("portal:attachment", args=[ticket.tracking_token, attachment.pk]))
    assert 'filename="avis.txt"' in response["Content-Disposition"]
