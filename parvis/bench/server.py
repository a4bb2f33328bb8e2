"""Gunicorn serving Parvis on the bench database, as in production: gthread workers, Redis queue."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from parvis.bench import database

REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_url() -> str:
    """The job queue and cache of the bench (its own Redis database: flushed by the bench)."""
    return os.environ.get("BENCH_REDIS_URL", REDIS_URL)


@dataclass(frozen=True)
class GunicornConfig:
    workers: int
    threads: int

    def label(self) -> str:
        return f"{self.workers}w×{self.threads}t"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "SECRET_KEY": "parvis-bench-" + "x" * 40,
        "PARVIS_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        # Capacity, not abuse: every bench citizen comes from 127.0.0.1 and they share the
        # 30,000 seeded addresses, so the public form's limits (ADR 0018) are lifted here.
        "PARVIS_SUBMIT_CLIENT_LIMIT": "100000000",
        "PARVIS_SUBMIT_EMAIL_LIMIT": "100000000",
        "PARVIS_ACKNOWLEDGEMENTS_PER_HOUR": "100000000",
    }


class Server:
    """``with Server(...) as server:`` — gunicorn started, answering, and stopped at the end."""

    def __init__(self, database_url: str, config: GunicornConfig, data_dir: Path) -> None:
        self.database_url = database_url
        self.config = config
        self.data_dir = data_dir
        self.port = free_port()
        self.host = "127.0.0.1"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f"gunicorn-{config.label()}.log"

    def __enter__(self) -> "Server":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "parvis.wsgi:application",
            "--bind",
            f"{self.host}:{self.port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.config.workers),
            "--threads",
            str(self.config.threads),
            "--keep-alive",
            "30",
            "--timeout",
            "60",
        ]
        env = server_environment(self.database_url, self.data_dir)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_ready()
        print(f"bench: gunicorn {self.config.label()} on port {self.port}", file=sys.stderr)
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
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def pids(self) -> list[int]:
        """The arbiter and its workers (for CPU accounting)."""
        if self.process is None:
            return []
        arbiter = self.process.pid
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == arbiter:
                workers.append(int(stat.parent.name))
        return [arbiter, *workers]

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(
                    f"bench: gunicorn exited; see {self.log_path}:\n{self._log_tail()}"
                )
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                conn.request("GET", "/agents/connexion/")
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(
            f"bench: gunicorn did not answer within {timeout:.0f} s:\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return ""


def temporary_data_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="parvis-bench-")


def collect_static(database_url: str, data_dir: Path) -> None:
    env = server_environment(database_url, data_dir)
    database.manage(database_url, "collectstatic", "--noinput", env=env)
