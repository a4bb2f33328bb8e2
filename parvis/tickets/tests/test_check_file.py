"""check_file on raw bytes, as an email part or a scanned page reaches it (no form upload)."""

import io
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from parvis.tickets.files import check_file

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CAMERA_MODEL = 0x0110
GPS_IFD = 0x8825


def _mail_part(filename: str, data: bytes, maintype: str, subtype: str) -> tuple[str, bytes]:
    """The name and bytes of an attachment, after a trip through a raw email."""
    mail = EmailMessage()
    mail["Subject"] = "Ma demande"
    mail.set_content("Bonjour, voici le document.")
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    part = next(parsed.iter_attachments())
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return part.get_filename() or "", payload


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[CAMERA_MODEL] = "Telephone de Camille"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    output = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def test_it_accepts_the_pdf_of_a_mail_part() -> None:
    name, data = _mail_part("facture EDF.pdf", PDF, "application", "pdf")

    checked = check_file(name=name, data=data)

    assert checked.name == "facture_EDF.pdf"
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)
    assert checked.content.read() == PDF


def test_it_strips_the_exif_of_a_photo_and_keeps_the_picture() -> None:
    original = _jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()[CAMERA_MODEL] == "Telephone de Camille"
        assert image.getexif().get_ifd(GPS_IFD)
    name, data = _mail_part("IMG_0042.jpg", original, "image", "jpeg")

    checked = check_file(name=name, data=data)

    assert checked.content_type == "image/jpeg"
    stored = checked.content.read()
    assert b"Camille" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (16, 16)
        assert not image.getexif()
    assert checked.size == len(stored)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("facture.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
        ("photo.png", b"<!DOCTYPE html><html><body><script>alert(1)</script>"),
    ],
    ids=["a program named .pdf", "a web page named .png"],
)
def test_it_refuses_a_forbidden_type_whatever_its_name(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        check_file(name=name, data=data)

    assert refused.value.messages == [
        f"« {name} » n'est pas d'un type accepté. Types acceptés : DOC, DOCX, GIF, HEIC, JPEG, "
        "ODS, ODT, PDF, PNG, WebP, XLSX, texte."
    ]


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as refused:
        check_file(name="scan-page-1.pdf", data=b"")

    assert refused.value.messages == ["« scan-page-1.pdf » est vide."]


def test_it_refuses_an_oversized_file_with_its_size(settings: Any) -> None:
    settings.PARVIS_MAX_UPLOAD_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        check_file(name="scan.pdf", data=PDF + b"0" * 3000)

    assert refused.value.messages == [
        "« scan.pdf » est trop volumineux (3,0\xa0Kio) : la taille maximale est 1,0\xa0Kio."
    ]


def test_it_refuses_a_photo_that_cannot_be_read() -> None:
    broken = _jpeg_with_exif()[:200]

    with pytest.raises(ValidationError) as refused:
        check_file(name="photo.jpg", data=broken)

    assert refused.value.messages == ["« photo.jpg » n'est pas une image lisible."]


@pytest.mark.parametrize(
    ("given", "stored"),
    [("../../etc/passwd.pdf", "....etcpasswd.pdf"), ("..", "fichier.pdf"), ("", "fichier.pdf")],
)
def test_a_name_from_outside_is_made_safe(given: str, stored: str) -> None:
    assert check_file(name=given, data=PDF).name == stored
