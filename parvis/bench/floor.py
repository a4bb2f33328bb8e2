"""``python -m parvis.bench.floor``: the least a ticket creation can cost on this machine.

What ADR 0030 reads from. A creation writes, whatever else it does: the requester when the
address is new, the ticket, its two first events (created, routed) and one delivery each —
plus, later in the worker, the acknowledgement. This measures those writes alone, made with
the ORM and nothing else (no validation, démarche form, routing, duplicates, idempotency
key, DRF, rendering of a response): the floor under any design that keeps them.

- ``request``: once per request, as the API and the portal create a ticket (the token's
  user, the number, then one transaction), in this process;
- ``batch_N``: N requests' rows in one transaction (``bulk_create``), as a deferred intake
  would write them in the worker — and ``store``, what the web side of such an intake would
  still do per request (the token's user, the number, the request kept as one row);
- ``django_handler``: Django's handler and every middleware around a request that does
  nothing (a 404), per request; ``gunicorn_404``: the same request served by the bench's
  gunicorn (one process, keep-alive), the CPU of the server's processes — the difference is
  the HTTP server's own share.

CPU of this process and of its PostgreSQL backend, per creation, as ``parvis.bench.cost``
counts them (gunicorn's own HTTP work and the load client come on top). Rows are written
without the actions on purpose: they are the instrument, not Parvis. Everything written is
deleted at the end. Same environment as ``parvis.bench.cost`` (``DATABASE_URL`` of a seeded
bench database, ``REDIS_URL``).
"""

import argparse
import json
import secrets
from pathlib import Path
from typing import Any

CREATIONS = 1000
WARM_UP = 100


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m parvis.bench.floor", description=__doc__)
    parser.add_argument("--creations", type=int, default=CREATIONS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from parvis.bench.cost import django_setup

    url, data_dir = django_setup()
    from parvis.accounts.models import Requester
    from parvis.bench import fixtures, scenarios
    from parvis.bench.__main__ import BENCH_PASSWORD
    from parvis.tickets.models import Event, Ticket

    writer = _Writer(fixtures.bench_agent_ensure(BENCH_PASSWORD))
    known = list(
        Requester.objects.exclude(email="").order_by("pk").values_list("email", flat=True)[:5000]
    )
    generator = scenarios.Generator(seed=args.seed, known_emails=known, public_only=False)
    bodies = [
        scenarios.api_body(generator.submission(free_text_share=scenarios.FREE_TEXT_SHARE))
        for _ in range(WARM_UP + args.creations)
    ]
    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_requester = Requester.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    results: dict[str, Any] = {}
    try:
        results["request"] = _measure(bodies, 1, writer.create_many)
        results["store"] = _measure(bodies, 1, writer.store)
        for size in (10, 50):
            results[f"batch_{size}"] = _measure(bodies, size, writer.create_many)
        results["django_handler"] = _handler(args.creations)
        results["gunicorn_404"] = _served(url, data_dir, args.creations)
    finally:
        Event.objects.filter(kind="floor").delete()  # the kept requests, on an old ticket
        fixtures.delete_created_after(ticket_id=last_ticket, requester_id=last_requester)
    print(json.dumps(results, indent=2))


class _Writer:
    """The rows of a creation, with the ORM alone."""

    def __init__(self, agent: Any) -> None:
        from parvis.accounts.actions import api_token_hash
        from parvis.accounts.models import User
        from parvis.catalog.models import Service
        from parvis.tickets.models import Ticket

        self.agent = agent
        self.users = User.objects.filter(api_token__key_hash=api_token_hash(_token(agent)))
        self.service_id = Service.objects.values_list("pk", flat=True).get(slug="accueil")
        self.some_ticket_id = Ticket.objects.order_by("pk").values_list("pk", flat=True).first()

    def store(self, bodies: list[bytes]) -> None:
        """The web side of a deferred intake: who, the number, the request kept as it came."""
        from parvis.tickets.models import Event
        from parvis.tickets.references import next_reference

        (body,) = bodies
        assert self.some_ticket_id is not None, "a seeded bench database"
        data = json.loads(body)
        user = next(iter(self.users[:1]))
        next_reference()
        # An event row stands for the table such an intake would keep its requests in.
        Event.objects.create(ticket_id=self.some_ticket_id, kind="floor", actor=user, data=data)

    def create_many(self, bodies: list[bytes]) -> None:
        from django.db import transaction

        from parvis.accounts.models import Requester
        from parvis.tickets.models import Channel, Event, EventDelivery, Ticket
        from parvis.tickets.references import next_reference

        requests = [json.loads(body) for body in bodies]
        user = next(iter(self.users[:1]))
        if len(requests) == 1:
            references = [next_reference()]
        else:  # a deferred intake drew each number in the request (``store``)
            references = [f"floor-{secrets.token_hex(6)}" for _ in requests]
        with transaction.atomic():
            emails = {r["requester"]["email"] for r in requests if r["requester"]["email"]}
            found = {r.email: r for r in Requester.objects.filter(email__in=emails)}
            new: list[Requester] = []
            requesters = []
            for request in requests:
                given = request["requester"]
                requester = found.get(given["email"]) if given["email"] else None
                if requester is None:
                    requester = Requester(
                        name=given["name"], email=given["email"], phone=given["phone"] or ""
                    )
                    new.append(requester)
                    if given["email"]:
                        found[given["email"]] = requester
                requesters.append(requester)
            Requester.objects.bulk_create(new)
            tickets = [
                Ticket(
                    reference=reference,
                    tracking_token=secrets.token_urlsafe(24),
                    service_id=self.service_id,
                    requester=requester,
                    requester_name=request["requester"]["name"],
                    requester_email=request["requester"]["email"],
                    requester_phone=request["requester"]["phone"] or "",
                    channel=Channel.API,
                    subject=request["subject"],
                    description=request["description"],
                    field_values=request.get("fields") or {},
                )
                for request, requester, reference in zip(
                    requests, requesters, references, strict=True
                )
            ]
            Ticket.objects.bulk_create(tickets)
            events = Event.objects.bulk_create(
                [
                    Event(ticket=ticket, kind=kind, actor=user, data=data)
                    for ticket in tickets
                    for kind, data in (
                        (Event.Kind.CREATED, {"channel": Channel.API}),
                        (Event.Kind.ROUTED, {"service_id": self.service_id, "reason": "rule"}),
                    )
                ]
            )
            EventDelivery.objects.bulk_create(
                [
                    EventDelivery(event=event, subscriber="floor", next_attempt_at=event.created_at)
                    for event in events
                ]
            )


def _token(agent: Any) -> str:
    from parvis.accounts.actions import api_token_issue

    key = api_token_issue(user=agent, rotate=True)
    assert key is not None  # a rotation always gives one
    return key


def _measure(bodies: list[bytes], size: int, write: Any) -> dict[str, Any]:
    from parvis.bench.cost import counting, cpu_spent, per_request

    for start in range(0, WARM_UP, size):
        write(bodies[start : start + size])
    measured = bodies[WARM_UP:]
    with counting() as counts, cpu_spent() as cpu:
        for start in range(0, len(measured), size):
            write(measured[start : start + size])
    return per_request(cpu, counts, len(measured))


def _handler(count: int) -> dict[str, Any]:
    """Django around a request that does nothing: a 404, every middleware on the way, called
    as ``parvis.bench.cost`` calls the application."""
    import logging

    from parvis.bench.cost import application, counting, cpu_spent, per_request

    logging.getLogger("django.request").setLevel(logging.ERROR)  # not one line per 404
    wsgi = application()
    for _ in range(WARM_UP):
        wsgi.get("/api/v1/floor/")
    with counting() as counts, cpu_spent() as cpu:
        for _ in range(count):
            wsgi.get("/api/v1/floor/")
    return per_request(cpu, counts, count)


def _served(url: str, data_dir: Path, count: int) -> dict[str, Any]:
    """Gunicorn's CPU per 404, on one keep-alive connection (one worker, as the bench's)."""
    import http.client

    from django.core.management import call_command

    from parvis.bench.cost import process_seconds
    from parvis.bench.server import GunicornConfig, Server

    call_command("collectstatic", "--noinput", verbosity=0)  # its login page names them
    with Server(url, GunicornConfig(workers=1, threads=4), data_dir) as server:
        connection = http.client.HTTPConnection(server.host, server.port)

        def call() -> None:
            connection.request("GET", "/api/v1/floor/")
            connection.getresponse().read()

        for _ in range(WARM_UP):
            call()
        pids = server.pids()
        started = sum(process_seconds(pid) for pid in pids)
        for _ in range(count):
            call()
        spent = sum(process_seconds(pid) for pid in pids) - started
        connection.close()
    return {"requests": count, "cpu_ms": round(1000 * spent / count, 2)}


if __name__ == "__main__":
    main()
