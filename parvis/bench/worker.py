"""The job worker during the bench, and when a creation's work is done.

The worker is Parvis's own: ``parvis run_huey`` (what ``parvis run`` starts next to
gunicorn), on the bench's Redis, sharing the machine's cores with the web server. A
creation is counted as done when its work is drained: every ``EventDelivery`` of its events
delivered, and the acknowledgement ``Mail`` row written when the person gave an email.
The harness reads that state with psycopg, as it reads everything else.
"""

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg

from parvis.bench.server import server_environment

DRAIN_POLL_SECONDS = 0.01
DRAIN_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class WorkerConfig:
    """``parvis run_huey`` with ``threads`` job threads (``HUEY_WORKERS``); 0: no worker."""

    threads: int

    def label(self) -> str:
        return f"huey ×{self.threads}" if self.threads else "no worker"


class Worker:
    """``with Worker(...) as worker:`` — the Huey consumer running, stopped at the end."""

    def __init__(self, database_url: str, config: WorkerConfig, data_dir: Path) -> None:
        self.database_url = database_url
        self.config = config
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f"huey-{config.threads}.log"

    def __enter__(self) -> "Worker":
        if not self.config.threads:
            return self
        command = [sys.executable, "-m", "parvis.manage", "run_huey", "--quiet"]
        env = server_environment(self.database_url, self.data_dir)
        env["HUEY_WORKERS"] = str(self.config.threads)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        print(f"bench: {self.config.label()} started", file=sys.stderr)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # Huey's graceful stop: finish the task
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def pids(self) -> list[int]:
        """The consumer (its threads are counted with it) and any worker processes."""
        if self.process is None or self.process.poll() is not None:
            return []
        return [self.process.pid, *_children(self.process.pid)]

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            tail = self.log_path.read_text(errors="replace").splitlines()[-30:]
            raise SystemExit("bench: the Huey worker exited:\n" + "\n".join(tail))


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


@dataclass(frozen=True)
class Marks:
    """The last ticket and event before a phase: what comes after is the phase's."""

    ticket_id: int
    event_id: int


@dataclass(frozen=True)
class OutboxState:
    """Where the work of the tickets created since some marks stands."""

    tickets: int
    deliveries: int
    pending: int
    failed: int
    retried: int  # deliveries with a failed attempt (delivered since, or not)
    batches: int  # distinct moments of delivery: the dispatcher's transactions, about
    acknowledgements_missing: int  # tickets with an email and no acknowledgement mail

    @property
    def drained(self) -> bool:
        return self.pending == 0 and self.acknowledgements_missing == 0

    def as_dict(self) -> dict[str, int]:
        return {
            "tickets_created": self.tickets,
            "deliveries": self.deliveries,
            "deliveries_pending": self.pending,
            "deliveries_failed": self.failed,
            "deliveries_retried": self.retried,
            "delivery_batches": self.batches,
            "acknowledgements_missing": self.acknowledgements_missing,
        }


class Outbox:
    """One autocommit connection that reads the outbox's state (polled while it drains)."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def marks(self) -> Marks:
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM tickets_ticket),"
            " (SELECT coalesce(max(id), 0) FROM tickets_event)"
        ).fetchone()
        assert row is not None
        return Marks(int(row[0]), int(row[1]))

    def pending(self, marks: Marks) -> int:
        """Deliveries still to hand over (the partial index of pending ones answers)."""
        row = self.conn.execute(
            "SELECT count(*) FROM tickets_eventdelivery"
            " WHERE event_id > %s AND delivered_at IS NULL AND failed_at IS NULL",
            [marks.event_id],
        ).fetchone()
        return int(row[0]) if row else 0

    def state(self, marks: Marks) -> OutboxState:
        deliveries = self.conn.execute(
            "SELECT count(*),"
            " count(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL),"
            " count(*) FILTER (WHERE failed_at IS NOT NULL),"
            " count(*) FILTER (WHERE last_error <> ''),"
            " count(DISTINCT delivered_at)"
            " FROM tickets_eventdelivery WHERE event_id > %s",
            [marks.event_id],
        ).fetchone()
        tickets = self.conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE t.requester_email <> '' AND NOT EXISTS"
            "  (SELECT 1 FROM notifications_mail m"
            "   WHERE m.ticket_id = t.id AND m.template = 'acknowledgement'))"
            " FROM tickets_ticket t WHERE t.id > %s",
            [marks.ticket_id],
        ).fetchone()
        assert deliveries is not None and tickets is not None
        return OutboxState(
            tickets=int(tickets[0]),
            deliveries=int(deliveries[0]),
            pending=int(deliveries[1]),
            failed=int(deliveries[2]),
            retried=int(deliveries[3]),
            batches=int(deliveries[4]),
            acknowledgements_missing=int(tickets[1]),
        )

    def wait_drained(
        self, marks: Marks, *, timeout: float = DRAIN_TIMEOUT_SECONDS, worker: Worker | None = None
    ) -> tuple[float | None, OutboxState]:
        """Poll until the work since ``marks`` is drained: the moment (``perf_counter``) it
        was seen drained, or None after ``timeout``; and the final state."""
        deadline = time.perf_counter() + timeout
        while True:
            pending = self.pending(marks)
            seen = time.perf_counter()  # drained at or before this moment
            if pending == 0:
                # Nothing left to deliver: drained, unless a mail is missing (reported).
                state = self.state(marks)
                return (seen if state.drained else None), state
            if seen > deadline:
                return None, self.state(marks)
            if worker is not None:
                worker.check_alive()
            time.sleep(DRAIN_POLL_SECONDS)


def drain_summary(
    *,
    started: float,
    last_response: float,
    drained_at: float | None,
    created: int,
    state: OutboxState,
) -> dict[str, Any]:
    """Rates and lag of a creation phase: whole work, and requests only."""
    whole = (drained_at - started) if drained_at is not None else None
    requests = last_response - started
    return {
        "per_second": round(created / whole, 1) if whole else None,
        "requests_per_second": round(created / requests, 1) if requests > 0 else None,
        "whole_work_seconds": round(whole, 2) if whole is not None else None,
        "drain_lag_ms": round(1000 * (drained_at - last_response), 1)
        if drained_at is not None
        else None,
        "outbox": state.as_dict(),
    }
