"""A worker's batch of citizen mails (issue 6, point 9) — written in one INSERT, their hourly
caps counted together (``tickets/tests/test_outbox_dispatcher.py`` counts the statements) —
is the same mails, sent the same way, as one delivery at a time."""

import dataclasses
import re
from typing import Any

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.cache import cache
from django.db import transaction

from parvis.accounts.models import User
from parvis.intake.pipeline import intake_submit
from parvis.notifications.models import Mail
from parvis.notifications.sending import mail_send_pending
from parvis.tickets import actions, outbox
from parvis.tickets.models import Channel, Event, EventDelivery
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _citizen_email_only(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The citizen's email alone (the deadlines' statements are theirs); deliveries stay
    pending until the test hands them over; mail is sent (Message-IDs and all)."""
    kept = {name: s for name, s in outbox._subscribers.items() if name == "citizen_email"}
    monkeypatch.setattr(outbox, "_subscribers", kept)
    monkeypatch.setattr(outbox, "_nudges", [])
    settings.PARVIS_MAIL_SEND = True


def _file(email: str, *, channel: Channel = Channel.WEB, actor: User | None = None) -> Any:
    return intake_submit(
        incoming=IncomingRequest(
            channel=channel,
            requester=RequesterData("Camille Martin", email),
            subject="Trou dans la chaussée",
            description="Devant le 12 rue Victor Hugo.",
        ),
        actor=actor,
        rate_limited=False,
        append_repeats=False,
    ).ticket


def _normalized_message_id(message_id: str) -> str:
    # make_msgid's time, pid and random number differ from one run to the next; the
    # reference and the domain are what a mail's threading reads.
    return re.sub(r"^<\d+\.\d+\.\d+", "<", message_id)


Written = tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[int, Any]]]


def _written_and_sent() -> Written:
    mail_send_pending()
    rows = [
        row | {"message_id": _normalized_message_id(row["message_id"])}
        for row in Mail.objects.order_by("pk").values(
            *(f.attname for f in Mail._meta.concrete_fields if f.name != "id")
        )
    ]
    sent: list[dict[str, Any]] = [
        {
            "from": message.from_email,
            "to": message.to,
            "subject": message.subject,
            "body": message.body,
            "alternatives": [a[0] for a in getattr(message, "alternatives", [])],
            "headers": {
                name: value for name, value in message.extra_headers.items() if name != "Message-ID"
            },
            "message_id": _normalized_message_id(message.extra_headers["Message-ID"]),
        }
        for message in django_mail.outbox
    ]
    withheld: list[tuple[int, Any]] = list(
        Event.objects.filter(kind=Event.Kind.MAIL_WITHHELD)
        .order_by("pk")
        .values_list("ticket_id", "data")
    )
    return rows, sent, withheld


def test_a_batch_writes_and_sends_what_one_delivery_at_a_time_does(
    catalog: None, make_agent: Any, confirmed_address: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = 2
    confirmed_address("lea@example.fr")  # her acknowledgements say it all, with the link
    agent = make_agent("services-techniques")
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        tickets = [
            _file("victime@example.fr"),
            _file("lea@example.fr"),
            _file("victime@example.fr"),
            _file("camille@example.fr", channel=Channel.PHONE, actor=agent),  # typed in
            _file("victime@example.fr"),  # the third to this address this hour: withheld
        ]
        actions.ticket_send_tracking_link(ticket=tickets[1])
        actions.ticket_send_tracking_link(ticket=tickets[1])  # her third: withheld

        with transaction.atomic():
            assert outbox.dispatch_pending() == 7
            batched = _written_and_sent()
            transaction.set_rollback(True)  # as if nothing was delivered
        django_mail.outbox.clear()
        cache.clear()  # the hourly counters too

        alone = dataclasses.replace(outbox._subscribers["citizen_email"], handle_many=None)
        monkeypatch.setitem(outbox._subscribers, "citizen_email", alone)
        assert EventDelivery.objects.filter(delivered_at__isnull=True).count() == 7
        assert outbox.dispatch_pending() == 7
        one_at_a_time = _written_and_sent()

    rows, sent, withheld = batched
    assert (rows, sent, withheld) == one_at_a_time
    assert [row["to"] for row in rows] == [
        "victime@example.fr",
        "lea@example.fr",
        "victime@example.fr",
        "camille@example.fr",
        "lea@example.fr",
    ]
    assert len(sent) == 5 and all(message["message_id"].endswith(">") for message in sent)
    assert [(ticket_id, data["template"]) for ticket_id, data in withheld] == [
        (tickets[4].pk, "acknowledgement"),
        (tickets[1].pk, "tracking_link"),
    ]


def test_a_mail_that_fails_in_a_batch_fails_alone(catalog: None, monkeypatch: Any) -> None:
    from parvis.notifications import actions as mail_actions

    tickets = [_file(f"camille.{number}@example.fr") for number in range(3)]
    render = mail_actions.render_ticket_email

    def failing_for_the_second(ticket: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
        if ticket.pk == tickets[1].pk:
            raise RuntimeError("gabarit illisible")
        return render(ticket, *args, **kwargs)

    monkeypatch.setattr(mail_actions, "render_ticket_email", failing_for_the_second)
    assert outbox.dispatch_pending() == 2  # the batch undone, then each alone
    assert sorted(Mail.objects.values_list("ticket_id", flat=True)) == [
        tickets[0].pk,
        tickets[2].pk,
    ]
    failed = EventDelivery.objects.get(event__ticket=tickets[1])
    assert failed.delivered_at is None and failed.attempts == 1
    assert "gabarit illisible" in failed.last_error
