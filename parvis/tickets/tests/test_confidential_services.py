"""Confidentiality follows the service: every ticket that is or has been in the CCAS.

The attack of issue 7: a ticket routed to the CCAS by keyword, or transferred there, was not
confidential and the administrator read it.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.test import RequestFactory

from parvis.catalog.models import Service
from parvis.tickets.actions import service_mark_confidential, ticket_transfer
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import tickets_visible_to

pytestmark = pytest.mark.django_db


def _service(slug: str) -> Service:
    return Service.objects.get(slug=slug)


def test_the_default_catalogue_s_ccas_is_confidential(catalog):
    assert _service("ccas").is_confidential
    assert not _service("etat-civil").is_confidential


def test_a_ticket_routed_to_the_ccas_by_keyword_is_confidential(make_ticket, make_agent):
    ticket = make_ticket(
        subject="Aide alimentaire", description="J'ai besoin d'un colis alimentaire."
    )
    assert ticket.service.slug == "ccas"
    assert ticket.is_confidential
    admin = make_agent("accueil", is_superuser=True)
    assert not tickets_visible_to(admin).filter(pk=ticket.pk).exists()


def test_a_ticket_transferred_to_the_ccas_stays_confidential_when_it_leaves(
    make_ticket, make_agent
):
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques", "ccas")
    assert not ticket.is_confidential
    ticket_transfer(ticket=ticket, actor=agent, to_service=_service("ccas"), reason="Détresse")
    ticket.refresh_from_db()
    assert ticket.is_confidential
    ticket_transfer(ticket=ticket, actor=agent, to_service=_service("accueil"), reason="Erreur")
    ticket.refresh_from_db()
    assert ticket.is_confidential
    # Still visible to its current service's members only, not to another administrator.
    admin = make_agent("urbanisme", is_superuser=True)
    assert not tickets_visible_to(admin).filter(pk=ticket.pk).exists()


def test_marking_a_service_confidential_covers_its_tickets_now_and_past(make_ticket, make_agent):
    agent = make_agent("services-techniques", "etat-civil")
    staying = make_ticket("nid-de-poule")
    passed = make_ticket("nid-de-poule")
    ticket_transfer(ticket=passed, actor=agent, to_service=_service("etat-civil"), reason="Erreur")
    arrived = make_ticket("acte-de-naissance")
    ticket_transfer(
        ticket=arrived, actor=agent, to_service=_service("services-techniques"), reason="Voirie"
    )
    elsewhere = make_ticket("acte-de-naissance")
    service = _service("services-techniques")
    service.is_confidential = True
    service.save()
    assert service_mark_confidential(service=service) == 3
    confidential = set(Ticket.objects.filter(is_confidential=True).values_list("pk", flat=True))
    assert confidential == {staying.pk, passed.pk, arrived.pk}
    assert elsewhere.pk not in confidential
    assert make_ticket("graffiti").is_confidential, "new tickets of the service too"


def test_the_admin_marks_the_tickets_when_the_service_is_marked(make_ticket, make_agent):
    ticket = make_ticket("nid-de-poule")
    admin = make_agent("accueil", is_superuser=True, is_staff=True)
    model_admin = site._registry[Service]
    service = _service("services-techniques")
    request = RequestFactory().post("/")
    request.user = admin
    form_class = model_admin.get_form(request, service, change=True)
    data = {
        "name": service.name,
        "slug": service.slug,
        "description": service.description,
        "position": service.position,
        "triage_threshold": service.triage_threshold,
        "first_response_unit": service.first_response_unit,
        "resolution_unit": service.resolution_unit,
        "is_confidential": "on",
    }
    form = form_class(data, instance=service)
    assert form.is_valid(), form.errors
    model_admin.message_user = lambda *args, **kwargs: None  # type: ignore[method-assign]
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    ticket.refresh_from_db()
    assert ticket.is_confidential


def test_the_migration_marks_services_of_confidential_demarches_and_their_tickets(
    make_ticket, make_agent
):
    Service.objects.update(is_confidential=False)
    Ticket.objects.update(is_confidential=False)
    agent = make_agent("ccas", "etat-civil")
    aid = make_ticket("demande-aide-sociale")
    Ticket.objects.filter(pk=aid.pk).update(is_confidential=False)  # as before the migration
    passed = make_ticket(subject="Colis", description="colis alimentaire")
    ticket_transfer(ticket=passed, actor=agent, to_service=_service("etat-civil"), reason="Erreur")
    Ticket.objects.filter(pk=passed.pk).update(is_confidential=False)
    other = make_ticket("acte-de-naissance")
    migration = importlib.import_module("parvis.tickets.migrations.0006_confidential_services")
    migration.mark_confidential(apps, None)
    assert _service("ccas").is_confidential
    assert set(Ticket.objects.filter(is_confidential=True)) == {aid, passed}
    assert other not in Ticket.objects.filter(is_confidential=True)
