"""The demo commune that `make run` loads."""

import pytest
from django.core.management import call_command

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.notifications.models import Mail
from parvis.tickets.models import Event, Message, Status, Ticket

pytestmark = pytest.mark.django_db


def test_it_loads_about_two_hundred_tickets_across_every_service_with_history(capsys):
    call_command("load-demo")
    assert 200 <= Ticket.objects.count() <= 230
    for service in Service.objects.all():
        assert Ticket.objects.filter(service=service).exists(), service.slug
        assert User.objects.filter(
            username=f"agent.{service.slug}", memberships__service=service
        ).exists()
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Message.objects.filter(kind=Message.Kind.REPLY).count() > 50
    assert Event.objects.filter(kind=Event.Kind.FOLLOW_UP).exists()
    oldest = Ticket.objects.order_by("created_at").first()
    assert (
        oldest is not None
        and (Ticket.objects.latest("created_at").created_at - oldest.created_at).days > 20
    )
    assert not Mail.objects.exists(), "the demo's own mail does not drown the outbox"
    output = capsys.readouterr().out
    assert "agent.etat-civil" in output and "parvis-demo" in output


def test_it_is_idempotent(capsys):
    call_command("load-demo", "--tickets", "20")
    count = Ticket.objects.count()
    call_command("load-demo", "--tickets", "20")
    assert Ticket.objects.count() == count
    assert "déjà chargée" in capsys.readouterr().out


def test_the_demo_admin_cannot_read_social_aid_tickets(capsys):
    from parvis.tickets.selectors import tickets_visible_to

    call_command("load-demo", "--tickets", "40")
    admin = User.objects.get(username="admin")
    assert Ticket.objects.filter(is_confidential=True).exists()
    assert not tickets_visible_to(admin).filter(is_confidential=True).exists()


def test_the_demo_accounts_log_in_without_a_second_factor(client, capsys):
    """The README's two commands: a newcomer logs in as the demo administrator or the CCAS
    agent (both would owe a second factor on a real installation) with the password only."""
    from django.urls import reverse

    from parvis.accounts.selectors import must_use_two_factor
    from parvis.demo.actions import DEMO_PASSWORD

    call_command("load-demo", "--tickets", "10")
    demo_accounts = User.objects.filter(is_demo=True)
    assert demo_accounts.filter(username="admin").exists()
    assert demo_accounts.filter(username="agent.ccas").exists()
    assert not any(must_use_two_factor(user) for user in demo_accounts)
    assert not User.objects.filter(is_demo=True, is_system=True).exists()

    for username, page in [("agent.ccas", reverse("backoffice:queue")), ("admin", "/admin/")]:
        response = client.post(
            reverse("backoffice:login"),
            {"username": username, "password": DEMO_PASSWORD, "next": page},
        )
        assert response["Location"] == page
        assert client.get(page).status_code == 200
        client.post(reverse("backoffice:logout"))


@pytest.mark.django_db
def test_the_demo_tickets_said_to_come_by_email_came_through_the_email_channel() -> None:
    from parvis.mailin.models import InboundMessage
    from parvis.tickets.models import Channel, Ticket

    call_command("load-demo")
    by_email = Ticket.objects.filter(channel=Channel.EMAIL)
    assert by_email.exists()
    received = InboundMessage.objects.filter(ticket__channel=Channel.EMAIL)
    assert set(received.values_list("ticket_id", flat=True)) == set(
        by_email.values_list("pk", flat=True)
    )
    assert all(m.message_id and m.outcome == "created" for m in received)
