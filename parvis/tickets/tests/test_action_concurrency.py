"""Replies, transfers and follow-ups on the same tickets at once, from separate processes.

The harness is ``parvis.testing.processes`` (spawned processes behind a
barrier, a real database file on SQLite, pytest-django's committed test database on
PostgreSQL). The final state must be what the actions promise:

- every follow-up is counted (``follow_up_count`` equals the follow-up messages);
- a reply never gives the ticket to an agent outside its current service, however the
  transfers interleave with it;
- one email makes one requester, however many channels file with it at once.

Module-level code imports no model: a spawned child imports this module before Django.
"""

import sqlite3
from pathlib import Path
from typing import Any

from django.db import connection

from parvis.testing.processes import run_processes, setup_django, shared_database_name

ROUNDS = 8
NEW_EMAILS = 8


def _act(database_name: str, worker: int, barrier: Any, results: Any) -> None:
    """Child: one role per worker, each round on every ticket, as fast as it can."""
    import traceback

    done = 0
    try:
        setup_django(database_name)
        from parvis.accounts.models import User
        from parvis.catalog.models import Service
        from parvis.tickets import actions
        from parvis.tickets.models import Ticket

        tickets = list(Ticket.objects.order_by("pk"))
        services = {s.slug: s for s in Service.objects.all()}
        barrier.wait(timeout=120)
        for number in range(ROUNDS):
            for ticket in tickets:
                if worker == 0:  # the back-and-forth of a ticket nobody wants
                    slug = "urbanisme" if number % 2 == 0 else "services-techniques"
                    actions.ticket_transfer(
                        ticket=ticket,
                        actor=User.objects.get(username="both"),
                        to_service=services[slug],
                        reason=f"tour {number}",
                    )
                elif worker in (1, 2):  # an agent of one service answers
                    username = "voirie" if worker == 1 else "urba"
                    actions.ticket_reply(
                        ticket=ticket,
                        actor=User.objects.get(username=username),
                        body=f"Réponse {number}",
                    )
                else:  # the citizen asks again
                    actions.ticket_add_citizen_message(
                        ticket=ticket, body=f"Relance {number}", is_follow_up=True
                    )
                done += 1
        results.put((worker, done, ""))
    except BaseException:
        results.put((worker, done, traceback.format_exc()))
    finally:
        from django.db import connections

        connections.close_all()


TOPICS = (
    "Inscription de ma fille à la cantine scolaire",
    "Lampadaire éteint devant le numéro 14",
    "Demande d'acte de naissance pour un mariage",
    "Dépôt sauvage de gravats au bord du chemin",
)


def _file(database_name: str, worker: int, barrier: Any, results: Any) -> None:
    """Child: file one ticket for each of the same new emails, as the others do."""
    import traceback

    try:
        setup_django(database_name)
        from parvis.intake.pipeline import intake_submit
        from parvis.tickets.models import Channel
        from parvis.tickets.structures import IncomingRequest, RequesterData

        barrier.wait(timeout=120)
        for number in range(NEW_EMAILS):
            intake_submit(
                incoming=IncomingRequest(
                    channel=Channel.API,
                    requester=RequesterData(f"Voisin {worker}", f"nouveau{number}@example.fr"),
                    # Four different matters: one person's repeat would be a follow-up.
                    subject=f"{TOPICS[worker % len(TOPICS)]} ({number})",
                    description="Bonjour",
                ),
                actor=None,
            )
        results.put((worker, NEW_EMAILS, ""))
    except BaseException:
        results.put((worker, 0, traceback.format_exc()))
    finally:
        from django.db import connections

        connections.close_all()


def _prepare() -> list[int]:
    from parvis.accounts.actions import agent_create
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets.models import Channel
    from parvis.tickets.structures import IncomingRequest, RequesterData

    catalog_load_defaults()
    voirie = Service.objects.get(slug="services-techniques")
    urbanisme = Service.objects.get(slug="urbanisme")
    for username, services in (("voirie", [voirie]), ("urba", [urbanisme])):
        agent_create(
            username=username,
            first_name=username,
            last_name="Agent",
            email=f"{username}@mairie.test",
            password="x",
            services=services,
        )
    agent_create(
        username="both",
        first_name="Both",
        last_name="Agent",
        email="both@mairie.test",
        password="x",
        services=[voirie, urbanisme],
    )
    return [
        intake_submit(
            incoming=IncomingRequest(
                channel=Channel.WEB,
                requester=RequesterData(f"Usager {n}", phone=f"06000000{n:02d}"),
                subject=f"Nid de poule {n}",
                description="Rue Hugo, nid de poule.",
            ),
            actor=None,
        ).ticket.pk
        for n in range(3)
    ]


def _assert_no_errors(outcomes: list[Any]) -> None:
    errors = [error for _worker, _done, error in outcomes if error]
    assert not errors, "\n".join(errors)


def _query(database_name: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read what the children wrote: on SQLite, from their file; else the test database."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(database_name) as database:
            return database.execute(sql.replace("%s", "?"), params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_replies_transfers_and_follow_ups_at_once_leave_a_consistent_ticket(
    transactional_db: None, tmp_path: Path
) -> None:
    ticket_ids = _prepare()
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_act, database_name, count=4)

    _assert_no_errors(outcomes)
    for ticket_id in ticket_ids:
        [(count, service_id, assignee_id)] = _query(
            database_name,
            "SELECT follow_up_count, service_id, assignee_id FROM tickets_ticket WHERE id = %s",
            (ticket_id,),
        )
        messages = dict(
            _query(
                database_name,
                "SELECT kind, COUNT(*) FROM tickets_message WHERE ticket_id = %s GROUP BY kind",
                (ticket_id,),
            )
        )
        assert messages == {"citizen": ROUNDS, "reply": 2 * ROUNDS}
        assert count == ROUNDS, "no follow-up count is lost"
        if assignee_id is not None:
            assert _query(
                database_name,
                "SELECT 1 FROM accounts_membership WHERE user_id = %s AND service_id = %s",
                (assignee_id, service_id),
            ), "a reply gave the ticket to an agent outside its current service"


def test_one_email_filed_at_once_by_several_channels_makes_one_requester(
    transactional_db: None, tmp_path: Path
) -> None:
    _prepare()
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_file, database_name, count=4)

    _assert_no_errors(outcomes)
    for number in range(NEW_EMAILS):
        email = f"nouveau{number}@example.fr"
        requesters = _query(
            database_name, "SELECT id FROM accounts_requester WHERE email = %s", (email,)
        )
        assert len(requesters) == 1
        tickets = _query(
            database_name,
            "SELECT COUNT(*) FROM tickets_ticket WHERE requester_id = %s",
            (requesters[0][0],),
        )
        assert tickets == [(4,)]
        recorded = _query(
            database_name,
            "SELECT COUNT(*) FROM tickets_event WHERE kind = 'requester_created' "
            "AND ticket_id IN (SELECT id FROM tickets_ticket WHERE requester_id = %s)",
            (requesters[0][0],),
        )
        assert recorded == [(1,)], "the winner alone says it created the requester"
