"""A reply printed as a letter: the commune's letterhead, the requester and their address,
the date, the reference and the reply's text, read back from the PDF."""

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from parvis.core.models import Commune
from parvis.notifications.letters import letter_filename, letter_pdf, reply_letter
from parvis.tickets.actions import ticket_reply
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

BODY = (
    "Bonjour Madame, votre acte de naissance est prêt : vous pouvez le retirer à l'accueil "
    "de la mairie, du lundi au vendredi. Cœur de ville, 9 h – 12 h."
)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def commune(db: None) -> Commune:
    return Commune.objects.create(
        name="Saint-Aubin-sur-Loire",
        address="Mairie de Saint-Aubin\n1 place de la Mairie\n37000 Saint-Aubin-sur-Loire",
        phone="02 47 00 00 00",
        email="mairie@saint-aubin.test",
    )


@pytest.fixture
def reply(make_ticket: Any, make_agent: Any) -> Any:
    ticket = make_ticket(
        "acte-de-naissance",
        subject="Acte pour mon fils",
        requester=RequesterData("Jeanne Lefèvre", "", "06 11 22 33 44"),
    )
    agent = make_agent("etat-civil")
    return ticket, ticket_reply(ticket=ticket, actor=agent, body=BODY)


def test_the_letter_says_who_writes_to_whom_about_what(commune: Commune, reply: Any) -> None:
    ticket, message = reply
    address = "12 rue des Lilas\n37000 Saint-Aubin-sur-Loire"
    pdf = letter_pdf(reply_letter(ticket=ticket, message=message, address=address))
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in (
        "Saint-Aubin-sur-Loire",
        "1 place de la Mairie",
        "02 47 00 00 00 · mairie@saint-aubin.test",
        "Jeanne Lefèvre",
        "12 rue des Lilas",
        f"Référence : {ticket.reference}",
        "Objet : Acte pour mon fils",
        "Service : État civil",
        "votre acte de naissance est prêt",
        "Cœur de ville, 9 h – 12 h.",
    ):
        assert expected in text, (expected, text)
    assert letter_filename(ticket) == f"courrier-{ticket.reference}.pdf"


def test_the_letter_is_dated_in_french(commune: Commune, reply: Any) -> None:
    ticket, message = reply
    message.created_at = message.created_at.replace(year=2026, month=12, day=1, hour=10)
    text = _text(letter_pdf(reply_letter(ticket=ticket, message=message, address="")))
    assert "Le 1er décembre 2026" in text


def test_without_dejavu_it_prints_in_helvetica_all_the_same(
    commune: Commune, reply: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PARVIS_LETTER_FONT_DIR = str(tmp_path / "no-fonts")
    ticket, message = reply
    text = _text(letter_pdf(reply_letter(ticket=ticket, message=message, address="")))
    assert "Coeur de ville, 9 h - 12 h." in text
    assert "Jeanne Lefèvre" in text  # è is Latin-1


def test_the_commune_logo_heads_the_letter(commune: Commune, reply: Any) -> None:
    png = io.BytesIO()
    Image.new("RGB", (120, 60), (29, 78, 137)).save(png, format="PNG")
    commune.logo.save("logo.png", ContentFile(png.getvalue()))
    ticket, message = reply
    pdf = letter_pdf(reply_letter(ticket=ticket, message=message, address=""))
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) == 1
