"""``python -m parvis.bench.seeding``: fill the bench database (a subprocess with DATABASE_URL set).

Ensures the bench agent, seeds the tickets when asked, then prints one JSON line on stdout
(what was written, how long it took) for the harness.
"""

import argparse
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m parvis.bench.seeding")
    parser.add_argument("--password", default="")
    parser.add_argument("--tickets", type=int, default=0, help="tickets to write (0: none)")
    parser.add_argument("--requesters", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--delete-after",
        nargs=2,
        type=int,
        metavar=("TICKET_ID", "REQUESTER_ID"),
        help="only delete the tickets and requesters created after these ids",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    import django

    django.setup()
    from parvis.bench import fixtures

    if args.delete_after:
        ticket_id, requester_id = args.delete_after
        print(
            json.dumps(
                fixtures.delete_created_after(ticket_id=ticket_id, requester_id=requester_id)
            )
        )
        return
    started = time.monotonic()
    fixtures.bench_agent_ensure(args.password)
    result: dict[str, object] = {}
    if args.tickets:
        written = fixtures.seed(
            ticket_count=args.tickets, requester_count=args.requesters, rng_seed=args.seed
        )
        print(f"seeding: wrote {written} in {time.monotonic() - started:.1f} s", file=sys.stderr)
        vacuum_seconds = fixtures.vacuum_analyze()
        print(f"seeding: VACUUM ANALYZE in {vacuum_seconds:.1f} s", file=sys.stderr)
        result |= {"written": written, "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
