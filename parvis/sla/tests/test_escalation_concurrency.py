"""Two workers running the escalation job at the same moment: each notice goes once.

The harness is ``parvis.testing.processes`` (spawned processes behind a barrier; on
PostgreSQL pytest-django's committed test database, on SQLite a copy in a file). Both run
the job for the warning moment, then for the overdue one, then deliver the events, as two
Huey workers would. Module-level code imports no model: a spawned child imports this module
before Django.
"""

import datetime
import sqlite3
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from parvis.testing.processes import run_processes, setup_django, shared_database_name

PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)  # a Monday
WARNING_TIME = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # due 14:30, warned at 9:00
OVERDUE_TIME = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)
TICKETS = 6


def _escalate(database_name: str, worker: int, barrier: Any, results: Any) -> None:
    """Child: the job at the warning moment, then at the overdue one, then the dispatch."""
    import traceback

    sent = 0
    try:
        setup_django(database_name)
        from parvis.sla.actions import escalations_send
        from parvis.tickets.outbox import dispatch_pending

        for moment in (WARNING_TIME, OVERDUE_TIME):
            barrier.wait(timeout=120)
            sent += escalations_send(now=moment)
        barrier.wait(timeout=120)
        dispatch_pending()
        results.put((worker, sent, ""))
    except BaseException:
        results.put((worker, sent, traceback.format_exc()))
    finally:
        from django.db import connections

        connections.close_all()


def _prepare() -> None:
    import time_machine

    from parvis.accounts.actions import agent_create
    from parvis.accounts.models import Membership
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets import actions
    from parvis.tickets.models import Channel
    from parvis.tickets.outbox import dispatch_pending
    from parvis.tickets.structures import IncomingRequest, RequesterData

    catalog_load_defaults()
    service = Service.objects.get(slug="etat-civil")
    agent, head = (
        agent_create(
            username=name,
            first_name=name,
            last_name="Agent",
            email=f"{name}@mairie.test",
            password="x",
            services=[service],
        )
        for name in ("chargee", "chef")
    )
    Membership.objects.filter(user=head).update(role=Membership.Role.MANAGER)
    # Tickets without démarche: the service's own first-response target, 4 working hours.
    Service.objects.filter(pk=service.pk).update(
        first_response_target=4, first_response_unit="working_hours"
    )
    with time_machine.travel(CREATED, tick=False):
        for number in range(TICKETS):
            ticket = intake_submit(
                incoming=IncomingRequest(
                    channel=Channel.PHONE,
                    requester=RequesterData(f"Usager {number}", phone=f"06000000{number:02d}"),
                    subject=f"Acte de décès {number}",
                    description="Bonjour",
                    service=service,
                ),
                actor=agent,
            )
            actions.ticket_assign(ticket=ticket, actor=agent, assignee=agent)
        dispatch_pending()


def _query(database_name: str, sql: str) -> list[tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database_name) as database:
            return database.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_two_workers_escalating_at_once_send_each_notice_once(
    transactional_db: None, tmp_path: Path
) -> None:
    _prepare()
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_escalate, database_name, count=2)

    errors = [error for _worker, _sent, error in outcomes if error]
    assert not errors, "\n".join(errors)
    assert sum(sent for _worker, sent, _error in outcomes) == 2 * TICKETS
    assert _query(database_name, "SELECT level, COUNT(*) FROM sla_escalation GROUP BY level") in (
        [("overdue", TICKETS), ("warning", TICKETS)],
        [("warning", TICKETS), ("overdue", TICKETS)],
    )
    mails = _query(
        database_name,
        'SELECT ticket_id, template, "to", COUNT(*) FROM notifications_mail '
        "WHERE template LIKE 'agent_deadline_%%' GROUP BY ticket_id, template, \"to\"",
    )
    assert len(mails) == 2 * TICKETS
    assert {count for *_key, count in mails} == {1}, "a notice was written twice"
    assert {(template, to) for _ticket, template, to, _count in mails} == {
        ("agent_deadline_warning", "chargee@mairie.test"),
        ("agent_deadline_overdue", "chef@mairie.test"),
    }
