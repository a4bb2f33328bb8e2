"""Files sent with a request: size, type and number are checked, refusals shown on the field."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parvis.tickets.models import Attachment, Ticket
from parvis.tickets.tests import samples

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])


def _refused(client, data):
    response = client.post(BIRTH_URL, data)
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    html = response.content.decode()
    assert 'href="#id_attachments"' in html
    assert "sélectionnez-les à nouveau" in html
    return html


def test_it_refuses_an_oversized_file(client, catalog, birth_form, settings):
    settings.PARVIS_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile(
        "gros.pdf", b"%PDF-1.4\n" + b"0" * 2000, content_type="application/pdf"
    )
    html = _refused(client, birth_form(attachments=[big]))
    assert "« gros.pdf » est trop volumineux" in html


def test_it_refuses_a_program(client, catalog, birth_form):
    exe = SimpleUploadedFile(
        "facture.pdf.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
    html = _refused(client, birth_form(attachments=[exe]))
    assert "n&#x27;est pas d&#x27;un type accepté" in html


def test_it_refuses_an_html_file_disguised_as_an_image(client, catalog, birth_form):
    page = SimpleUploadedFile(
        "photo.png",
        b"<!DOCTYPE html><html><body><script>alert(1)</script>",
        content_type="image/png",
    )
    html = _refused(client, birth_form(attachments=[page]))
    assert "« photo.png » n&#x27;est pas d&#x27;un type accepté" in html


def test_it_refuses_too_many_files(client, catalog, birth_form, png, settings):
    settings.PARVIS_MAX_FILES_PER_MESSAGE = 2
    html = _refused(client, birth_form(attachments=[png("1.png"), png("2.png"), png("3.png")]))
    assert "Vous pouvez joindre 2 fichiers au plus (vous en avez choisi 3)." in html


def test_it_refuses_an_empty_file(client, catalog, birth_form):
    empty = SimpleUploadedFile("vide.pdf", b"", content_type="application/pdf")
    response = client.post(BIRTH_URL, birth_form(attachments=[empty]))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_refuses_a_bad_file_in_a_file_field(client, catalog):
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        reverse("portal:request_form", args=["nid-de-poule"]),
        {
            "name": "Camille",
            "email": "c@example.fr",
            "consent": "on",
            "f-location": "Rue A",
            "f-surface_type": "chaussee",
            "f-hazard_level": "faible",
            "f-photo": exe,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_f-photo"' in html
    assert "n&#x27;est pas d&#x27;un type accepté" in html
    assert not Ticket.objects.exists()


def test_it_requires_a_required_file_field(client, catalog):
    response = client.post(
        reverse("portal:request_form", args=["recensement-citoyen"]),
        {"name": "Camille", "email": "c@example.fr", "consent": "on"},
    )
    assert response.status_code == 400
    assert 'href="#id_f-identity_document"' in response.content.decode()


def test_it_strips_metadata_from_a_photo(client, catalog, birth_form, png):
    response = client.post(BIRTH_URL, birth_form(attachments=[png()]))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("facture.js", b'new ActiveXObject("WScript.Shell").Run("calc.exe");\n'),
        ("avis.vbs", b'CreateObject("WScript.Shell").Run "calc.exe"\r\n'),
        ("mise-a-jour.ps1", b"Start-Process calc.exe\n"),
    ],
)
def test_it_refuses_a_script_that_passes_for_text(client, catalog, birth_form, name, script):
    upload = SimpleUploadedFile(name, script, content_type="text/plain")
    html = _refused(client, birth_form(attachments=[upload]))
    extension = name[name.rindex(".") :]
    assert f"« {name} » : les fichiers « {extension} » ne sont pas acceptés." in html


def test_a_heic_photo_reaches_agent_and_citizen_as_a_jpeg_without_its_gps_position(
    client, catalog, birth_form, make_agent
):
    heic = SimpleUploadedFile("IMG_0042.HEIC", samples.photo("HEIF"), content_type="image/heic")
    assert client.post(BIRTH_URL, birth_form(attachments=[heic])).status_code == 302
    attachment = Attachment.objects.get()
    client.force_login(make_agent("etat-civil"))
    as_agent = client.get(reverse("backoffice:attachment", args=[attachment.pk]))
    client.logout()
    as_citizen = client.get(
        reverse("portal:attachment", args=[attachment.ticket.tracking_token, attachment.pk])
    )

    for response in (as_agent, as_citizen):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert 'filename="IMG_0042.jpg"' in response["Content-Disposition"]
        stored = b"".join(response.streaming_content)
        assert samples.SECRET.encode() not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG"
            assert not image.getexif().get_ifd(samples.GPS_IFD)
