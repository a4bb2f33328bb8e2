"""Deadlines in a real browser: the director opens "Délais", follows the overdue count of a
service to the queue filtered on it, sorts by due time, opens the late ticket; on a phone
too, without serious accessibility violations."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.accounts.models import Membership
from parvis.catalog.models import Service
from parvis.conftest import PHONE_SCREEN as PHONE
from parvis.conftest import TEST_PASSWORD as PASSWORD
from parvis.conftest import browser_log_in as log_in
from parvis.conftest import run_worker
from parvis.intake.pipeline import intake_submit
from parvis.sla.models import TicketDeadline
from parvis.tickets.models import Channel
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser


@pytest.fixture
def late_ticket(live_catalog: None) -> Any:
    service = Service.objects.get(slug="services-techniques")
    head = agent_create(
        username="chef",
        first_name="Nadia",
        last_name="Chef",
        email="chef@mairie.test",
        password=PASSWORD,
        services=[service],
    )
    Membership.objects.filter(user=head).update(role=Membership.Role.MANAGER)
    tickets = [
        intake_submit(
            incoming=IncomingRequest(
                channel=Channel.PHONE,
                requester=RequesterData(f"Usager {n}", phone=f"060000000{n}"),
                subject=subject,
                description="Bonjour",
                service=service,
            ),
            actor=head,
            rate_limited=False,
        ).ticket
        for n, subject in enumerate(["Banc cassé", "Lampadaire éteint"])
    ]
    run_worker()
    # The first one is two days late (as if filed long ago and never answered).
    TicketDeadline.objects.filter(ticket=tickets[0]).update(
        due_at=timezone.now() - datetime.timedelta(days=2),
        warn_at=timezone.now() - datetime.timedelta(days=3),
    )
    return tickets[0]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_director_follows_the_overdue_count_to_the_late_ticket(
    page: Any, live_server: Any, late_ticket: Any, axe_check: Any, viewport: Any
) -> None:
    if viewport:
        page.set_viewport_size(viewport)
    log_in(page, live_server, "chef")
    page.get_by_role("link", name="Délais", exact=True).click()
    expect(page.get_by_role("heading", name="Délais par service")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 demande ouverte en retard.")
    axe_check(page)
    row = page.get_by_role("row", name="Services techniques")
    row.get_by_role("link", name="1", exact=True).first.click()
    expect(page.get_by_label("Échéance")).to_have_value("overdue")
    table = page.get_by_role("table", name="Liste des demandes")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the late ticket
    expect(table).to_contain_text("en retard")
    expect(table).to_contain_text("Banc cassé")
    axe_check(page)
    page.get_by_label("Échéance").select_option("")
    expect(table.get_by_role("row")).to_have_count(3)
    page.get_by_label("Trier par").select_option("due")
    expect(table.get_by_role("row").nth(1)).to_contain_text("Banc cassé")
    table.get_by_role("link", name=late_ticket.reference).click()
    deadlines = page.get_by_role("region", name="Délais")
    expect(deadlines).to_contain_text("En retard")
    expect(deadlines).to_contain_text("Première réponse")
    axe_check(page)
