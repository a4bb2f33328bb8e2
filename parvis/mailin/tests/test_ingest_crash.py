"""``parvis mail ingest`` killed in the middle of a batch, then run again: each message once.

The real command, in a process of its own, with its default workers (one per core, ADR 0028:
each a process that must die with the command), on a real database
(``parvis.testing.processes``: a file for SQLite, the test database for PostgreSQL), reads a
Maildir of 300 varied messages (``parvis.bench.mail_batch``: the corpus, copy after copy,
each copy with its own people and its own ticket that the replies join). It is killed with
SIGKILL at random points, several times, each time further into the batch, and started again
on the same Maildir; the last run goes to the end. Then every message must have been
processed exactly once: one row, not left to process, the outcome its corpus file says; one
ticket per new request, one message per reply, one note per robot's answer, the attachments
once — nothing twice, nothing missing.
"""

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import yaml

from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    command_environment,
    run_processes,
    setup_django,
    shared_database_name,
)

BATCH = 300
KILLS = 4
SEED = int(os.environ.get("PARVIS_CRASH_SEED", "0")) or random.SystemRandom().randrange(10**6)
PARVIS = Path(sys.executable).with_name("parvis")


def _ingest(env: dict[str, str], maildir: Path, *, kill_after: int | None, pause: float) -> int:
    """Run ``parvis mail ingest``; with ``kill_after``, SIGKILL it once it has printed that
    many lines and ``pause`` seconds more. Returns the lines it printed."""
    process = subprocess.Popen(
        [str(PARVIS), "mail", "ingest", str(maildir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    printed = 0
    try:
        for _line in process.stdout:
            printed += 1
            if kill_after is not None and printed >= kill_after:
                time.sleep(pause)
                assert process.poll() is None, "the batch ended before it could be killed"
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if kill_after is None:
        assert process.returncode == 0
    else:
        assert process.returncode == -signal.SIGKILL
    return printed


def _stored(
    database_name: str, worker: int, barrier: Barrier, results: "multiprocessing.Queue[Any]"
) -> None:
    """Child: what the database holds after the runs, read through the ORM."""
    try:
        setup_django(database_name)
        from parvis.mailin.models import InboundMessage
        from parvis.mailin.parsing import parse
        from parvis.tickets.models import Attachment, Event, Message, Ticket

        rows = list(
            InboundMessage.objects.values_list(
                "dedupe_key", "state", "outcome", "ticket_id", "ticket_message_id"
            )
        )
        files_kept = sum(
            len(parse(bytes(inbound.raw)).parts) - len(inbound.refused_files)
            for inbound in InboundMessage.objects.filter(
                outcome__in=[InboundMessage.Outcome.CREATED, InboundMessage.Outcome.APPENDED]
            )
        )
        results.put(
            (
                {
                    "rows": rows,
                    "tickets": Ticket.objects.count(),
                    "created_events": Event.objects.filter(kind=Event.Kind.CREATED).count(),
                    "citizen_messages": Message.objects.filter(kind=Message.Kind.CITIZEN).count(),
                    "notes": Message.objects.filter(kind=Message.Kind.NOTE).count(),
                    "attachments": Attachment.objects.count(),
                    "files_kept": files_kept,
                },
                "",
            )
        )
    except BaseException:
        results.put(({}, traceback.format_exc()))
    finally:
        close_connections()


def _expected_outcomes(messages: list[bytes]) -> dict[str, str]:
    """Dedupe key → the outcome the corpus index says for its file (when it says one)."""
    from parvis.bench.mail_batch import CORPUS, corpus_files
    from parvis.mailin.actions import dedupe_key

    index = {
        entry["file"]: (entry.get("expect") or {}).get("outcome")
        for entry in yaml.safe_load((CORPUS / "index.yaml").read_text(encoding="utf-8"))
    }
    files = corpus_files()
    expected: dict[str, str] = {}
    for number, raw in enumerate(messages):
        outcome = index[files[number % len(files)].name]
        key = dedupe_key(raw)
        if (outcome and outcome != "ignored") or key not in expected:
            expected[key] = outcome or ""
    return expected


def test_ingest_killed_mid_batch_and_restarted_processes_every_message_exactly_once(
    transactional_db: None, tmp_path: Path
) -> None:
    from parvis.bench.mail_batch import batch, open_threads, write_maildir
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.mailin.models import InboundMessage

    catalog_load_defaults()
    threads = open_threads(BATCH)  # one ticket per copy, opened by its requester's mail
    messages = batch(BATCH, threads)
    maildir = write_maildir(tmp_path / "maildir", messages)
    database_name = shared_database_name(tmp_path)
    env = command_environment(database_name, tmp_path)

    rng = random.Random(SEED)
    reached = 0
    for _kill in range(KILLS):
        # Further into the batch each time; at a random moment after a line (mid-message).
        kill_after = rng.randint(reached + 1, reached + (BATCH - 20 - reached) // 2)
        reached = _ingest(env, maildir, kill_after=kill_after, pause=rng.uniform(0, 0.03))
    assert _ingest(env, maildir, kill_after=None, pause=0) == BATCH

    [(stored, error)] = run_processes(_stored, database_name, count=1)
    assert not error, error
    note = f"(random seed {SEED}: PARVIS_CRASH_SEED={SEED} replays these kill points)"
    rows = stored["rows"]
    expected = _expected_outcomes(messages)
    keys = [key for key, *_rest in rows]
    assert len(keys) == len(set(keys)), note
    by_key = {key: (state, outcome) for key, state, outcome, _t, _m in rows}
    assert set(by_key) == set(expected) | {f"mid:{t.message_id}" for t in threads}, note
    left = [key for key, (state, _o) in by_key.items() if state == InboundMessage.State.RECEIVED]
    assert not left, note
    wrong = {
        key: (outcome, expected[key])
        for key, (_state, outcome) in by_key.items()
        if expected.get(key) and outcome != expected[key]
    }
    assert not wrong, f"{wrong} {note}"

    outcomes = Counter(outcome for _k, _s, outcome, _t, _m in rows)
    created = [ticket for _k, _s, outcome, ticket, _m in rows if outcome == "created"]
    assert len(created) == len(set(created)) == outcomes["created"], note
    assert stored["tickets"] == stored["created_events"] == outcomes["created"], note
    appended = [message for _k, _s, outcome, _t, message in rows if outcome == "appended"]
    assert None not in appended and len(set(appended)) == len(appended), note
    assert stored["citizen_messages"] == outcomes["appended"], note
    robots_on_tickets = sum(
        1 for _k, _s, outcome, ticket, _m in rows if outcome == "auto_reply" and ticket
    )
    assert stored["notes"] == robots_on_tickets, note
    assert stored["attachments"] == stored["files_kept"], note
    assert outcomes["appended"] and outcomes["auto_reply"] and outcomes["bounce"], outcomes
