"""A citizen's journey in a real browser: find a démarche, file it, follow it, write on it."""

import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from parvis.tickets.models import Message, Ticket

pytestmark = pytest.mark.browser


def test_a_citizen_files_and_follows_a_birth_certificate_request(
    page, live_server, live_catalog, axe_check, settings, tmp_path: Path
):
    settings.BASE_URL = live_server.url
    photo = tmp_path / "justificatif.png"
    Image.new("RGB", (40, 30), (30, 90, 160)).save(photo)

    page.goto(live_server.url + "/")
    axe_check(page)
    page.get_by_label("Que souhaitez-vous faire ?").fill("naissance")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Demande d'acte de naissance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande d'acte de naissance")
    axe_check(page)

    page.get_by_role("button", name="Envoyer ma demande").click()
    summary = page.locator("#erreurs")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Le formulaire contient")
    assert page.title().startswith("Erreur")
    axe_check(page)
    summary.get_by_role("link", name=re.compile("^Nom et prénom")).click()
    assert page.evaluate("document.activeElement.id") == "id_name"

    page.locator("#id_name").fill("Camille Martin")
    page.locator("#id_email").fill("camille@example.fr")
    page.locator("#id_f-birth_last_name").fill("Martin")
    page.locator("#id_f-first_names").fill("Camille Jeanne")
    page.locator("#id_f-birth_date").fill("1990-05-12")
    page.locator("#id_f-birth_place").fill("Ma commune")
    page.locator("#id_f-copy_type").select_option("copie-integrale")
    page.locator("#id_f-requester_relation").select_option("titulaire")
    page.locator("#id_f-copies").fill("1")
    page.locator("#id_f-delivery_mode").select_option("retrait-mairie")
    page.locator("#id_attachments").set_input_files(str(photo))
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Envoyer ma demande").click()

    banner = page.locator(".acknowledgement")
    expect(banner).to_contain_text("Votre demande a bien été enregistrée.")
    ticket = Ticket.objects.get()
    expect(banner).to_contain_text(ticket.reference)
    expect(banner).to_contain_text("camille@example.fr")
    assert page.get_by_role("heading", level=1).inner_text().endswith(ticket.reference)
    assert page.get_by_role("link", name="justificatif.png").count() == 1
    axe_check(page)

    acknowledgement = [m for m in mail.outbox if ticket.reference in m.subject]
    assert len(acknowledgement) == 1
    # An address never confirmed gets no link by mail (test_acknowledgement_abuse.py): the
    # link is the one this page shows.
    assert "/suivi/" not in acknowledgement[0].body
    link = banner.get_by_role("link").get_attribute("href")
    assert link is not None and f"/suivi/{ticket.tracking_token}/" in link

    page.goto(link)
    assert "Votre demande a bien été enregistrée." not in page.content()
    page.get_by_label("Votre message").fill("Je passerai le chercher jeudi.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".messages")).to_contain_text("Votre message a bien été ajouté")
    history = page.locator(".timeline")
    expect(history).to_contain_text("Je passerai le chercher jeudi.")
    assert Message.objects.filter(ticket=ticket, body="Je passerai le chercher jeudi.").exists()
    axe_check(page)
