"""Deadlines kept by the ``sla_deadlines`` subscriber as a ticket lives (time-machine)."""

import datetime
import io
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from parvis.conftest import run_worker
from parvis.sla.models import Closure, OpeningPeriod, Target, TicketDeadline
from parvis.tickets import actions
from parvis.tickets.models import Status

PARIS = ZoneInfo("Europe/Paris")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def agent(make_agent: Callable[..., Any]) -> Any:
    return make_agent("etat-civil", "urbanisme", "services-techniques")


def deadline(ticket: Any) -> TicketDeadline:
    return TicketDeadline.objects.get(ticket=ticket)


def test_a_new_ticket_gets_its_demarche_targets_in_working_time(make_ticket: Any) -> None:
    # Acte de naissance: first response 8 working hours, resolution 3 working days.
    with time_machine.travel(at(2026, 3, 27, 16, 0), tick=False):  # a Friday
        ticket = make_ticket("acte-de-naissance")
    state = deadline(ticket)
    assert state.due_target == Target.FIRST_RESPONSE
    # 1 h 30 on Friday, 6 h 30 on Monday (summer time began on Sunday).
    assert state.first_response_due_at == at(2026, 3, 30, 16, 30)
    assert state.resolution_due_at == at(2026, 4, 1, 17, 30)
    assert state.due_at == state.first_response_due_at
    # Warned 4 working hours before: 3 h of Monday afternoon, 1 h of its morning.
    assert state.warn_at == at(2026, 3, 30, 11, 0)
    assert state.legal_due_on is None


def test_a_ticket_without_demarche_has_its_service_default(make_ticket: Any) -> None:
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        ticket = make_ticket(None, subject="Question", service=None)
    state = deadline(ticket)
    assert state.first_response_due_at == at(2026, 3, 4, 17, 30)  # 2 working days
    assert state.resolution_due_at == at(2026, 3, 16, 17, 30)  # 10 working days


def test_the_declaration_prealable_shows_its_legal_month_apart(make_ticket: Any) -> None:
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        ticket = make_ticket("declaration-prealable")
    state = deadline(ticket)
    assert state.legal_deadline == "urbanism_one_month"
    assert state.legal_due_on == datetime.date(2026, 4, 2)


def test_the_first_reply_meets_the_first_target_and_the_resolution_comes_next(
    make_ticket: Any, agent: Any
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        ticket = make_ticket("acte-de-naissance")
    with time_machine.travel(at(2026, 3, 2, 11, 0), tick=False):
        actions.ticket_reply(ticket=ticket, actor=agent, body="Nous nous en occupons.")
        run_worker()
    state = deadline(ticket)
    assert state.first_response_at == at(2026, 3, 2, 11, 0)
    assert state.due_target == Target.RESOLUTION
    assert state.due_at == at(2026, 3, 5, 17, 30)


def test_waiting_for_the_citizen_stops_the_clock_and_resumes_it(
    make_ticket: Any, agent: Any
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        ticket = make_ticket("acte-de-naissance")
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        actions.ticket_reply(
            ticket=ticket, actor=agent, body="Il manque une pièce.", wait_for_citizen=True
        )
        run_worker()
    state = deadline(ticket)
    assert state.due_at is None
    assert state.warn_at is None
    assert state.paused_left is not None
    # From 10:00 Monday to Thursday 17:30: 2 h + 4 h + 3 × 7 h 30.
    assert state.paused_left == datetime.timedelta(hours=28, minutes=30)
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):  # a week later, Monday
        actions.ticket_add_citizen_message(ticket=ticket, body="Voici la pièce.")
        run_worker()
    state = deadline(ticket)
    assert state.paused_left is None
    # 28 h 30 of working time from Monday 9 March 9:00 → Thursday 12 March 16:30.
    assert state.due_at == at(2026, 3, 12, 16, 30)


def test_a_resolved_ticket_has_nothing_due(make_ticket: Any, agent: Any) -> None:
    ticket = make_ticket("acte-de-naissance")
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    run_worker()
    state = deadline(ticket)
    assert state.due_at is None
    assert state.due_target == ""


def test_closures_and_opening_hours_set_by_the_administrator_count(make_ticket: Any) -> None:
    Closure.objects.create(day=datetime.date(2026, 3, 3), reason="Pont")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        ticket = make_ticket("acte-de-deces")  # first response 4 working hours
    assert deadline(ticket).first_response_due_at == at(2026, 3, 2, 14, 30)
    service = ticket.service
    OpeningPeriod.objects.create(
        service=service, weekday=0, opens=datetime.time(9, 0), closes=datetime.time(10, 0)
    )
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        other = make_ticket("acte-de-deces")
    # One hour on Mondays only: four Mondays, the 3rd being… Monday 23 March 10:00.
    assert deadline(other).first_response_due_at == at(2026, 3, 23, 10, 0)


def test_the_command_recomputes_open_tickets_after_an_edit_of_the_targets(
    make_ticket: Any,
) -> None:
    from django.core.management import call_command

    from parvis.catalog.models import RequestType

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        ticket = make_ticket("acte-de-naissance")
        RequestType.objects.filter(slug="acte-de-naissance").update(
            first_response_target=1, first_response_unit="working_hours"
        )
        call_command("recompute-deadlines", stdout=io.StringIO())
    assert deadline(ticket).first_response_due_at == at(2026, 3, 2, 10, 0)


def test_a_refresh_reads_the_calendar_from_the_process_copy_and_upserts(
    make_ticket: Any, django_assert_num_queries: Any
) -> None:
    from parvis.sla.actions import deadline_refresh

    ticket = make_ticket("acte-de-naissance")  # its deadline stored once by the worker
    TicketDeadline.objects.filter(ticket=ticket).update(due_at=None)
    # The ticket locked, its status changes and replies, one upsert: the calendar (settings,
    # opening hours, closures) is the process's copy, read when the first ticket was filed.
    with django_assert_num_queries(3):
        deadline_refresh(ticket=ticket)
    assert deadline(ticket).due_at is not None  # the row updated in place
    OpeningPeriod.objects.create(weekday=5, opens=datetime.time(9, 0), closes=datetime.time(12, 0))
    with django_assert_num_queries(6):  # an edit: the calendar read again
        deadline_refresh(ticket=ticket)


def test_a_batch_of_tickets_is_refreshed_in_three_statements_as_each_alone(
    make_ticket: Any, agent: Any, django_assert_num_queries: Any
) -> None:
    from parvis.sla.actions import deadline_refresh, deadlines_refresh

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        tickets = [make_ticket("acte-de-naissance") for _ in range(3)]
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        actions.ticket_reply(
            ticket=tickets[1], actor=agent, body="Il manque une pièce.", wait_for_citizen=True
        )
        actions.ticket_reply(ticket=tickets[2], actor=agent, body="Nous nous en occupons.")
    alone = {}
    with time_machine.travel(at(2026, 3, 2, 11, 0), tick=False):
        for ticket in tickets:
            deadline_refresh(ticket=ticket)
            alone[ticket.pk] = deadline(ticket)
        TicketDeadline.objects.all().delete()
        # Locked together, their histories in one query, one upsert; a ticket named twice
        # (two of its events in one batch) is computed once.
        with django_assert_num_queries(3):
            stored = deadlines_refresh(ticket_ids=[t.pk for t in [*tickets, tickets[0]]])
    assert [d.ticket_id for d in stored] == sorted(t.pk for t in tickets)
    columns = [f.attname for f in TicketDeadline._meta.concrete_fields if f.name != "id"]
    for ticket in tickets:
        together = deadline(ticket)
        for column in columns:
            if column != "computed_at":
                assert getattr(together, column) == getattr(alone[ticket.pk], column), column
    assert deadline(tickets[1]).paused_left is not None
    assert deadline(tickets[2]).first_response_at == at(2026, 3, 2, 10, 0)
