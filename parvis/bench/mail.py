"""The mail phase of the bench: messages per second through ``parvis mail ingest``.

A Maildir of varied messages (``parvis.bench.mail_batch``: the corpus, copy after copy) is
ingested by the real command, in its own process, on a fresh database of each kind:

- SQLite, as one machine runs Parvis: the database file, its database cache and job queue
  in a data directory of their own;
- PostgreSQL, as a larger city does: a database of its own beside the bench's, Redis for
  the cache and the job queue.

Each database is prepared once (migrated, the default catalogue, one ticket per copy that
the copy's replies join) and kept as a template, with its cache (SQLite: the cache table in
the file; PostgreSQL: Redis, saved after the preparation); every run starts from a copy of
both, so that no run ingests what a previous one stored, and each finds the cache as an
installation that has received mail before does (the duplicates' weights learnt, ~0.2 s).
The figure is the messages over the command's whole run, start-up included: what an
administrator waits for. The acknowledgements of the new tickets are the worker's work,
done later: not counted here. The rate limits are the
production defaults (each copy's citizens are their own people).
"""

import collections
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis

from parvis.bench import database
from parvis.bench.client import progress

PARVIS = [sys.executable, "-m", "parvis.manage"]


def measure(
    postgres_url: str, redis_url: str, data_dir: Path, *, messages: int, runs: int
) -> dict[str, Any]:
    """``{"sqlite": …, "postgres": …}``: the best of ``runs`` on each, and every run."""
    results: dict[str, Any] = {}
    for backend in ("sqlite", "postgres"):
        home = data_dir / f"mail-{backend}"
        home.mkdir(parents=True, exist_ok=True)
        target: SqliteTarget | PostgresTarget
        if backend == "sqlite":
            target = SqliteTarget(home)
        else:
            target = PostgresTarget(_sibling_url(postgres_url, "_mail"), redis_url, home)
        maildir = home / "maildir"
        target.prepare(maildir, messages)
        measured = []
        for number in range(runs):
            target.reset()
            run = _ingest(target.environment(), maildir)
            progress(
                f"mail ingestion, {backend}, run {number + 1}/{runs}: {run['messages']} "
                f"messages in {run['seconds']} s, {run['per_second']}/s "
                f"(CPU {run['cpu_ms_per_message']} ms each); {run['outcomes']}"
            )
            measured.append(run)
        target.drop()
        best = max(measured, key=lambda run: run["per_second"])
        results[backend] = {**best, "runs": [run["per_second"] for run in measured]}
    return results


def _ingest(env: dict[str, str], maildir: Path) -> dict[str, Any]:
    load = os.getloadavg()[0]  # the machine is shared: a loaded one waits, CPU tells
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        [*PARVIS, "mail", "ingest", str(maildir)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"bench: `parvis mail ingest` failed (exit {result.returncode})")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "messages": len(lines),
        "seconds": round(seconds, 2),
        "per_second": round(len(lines) / seconds, 1),
        "cpu_ms_per_message": round(1000 * cpu / max(1, len(lines)), 2),
        "outcomes": dict(collections.Counter(line["outcome"] for line in lines)),
        "load_average_at_start": round(load, 2),
    }


def _environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PARVIS_DATA_DIR": str(data_dir),
        "SECRET_KEY": "parvis-bench-" + "x" * 40,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    # An installed Parvis has its bytecode compiled: the start-up measured is that one.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if "REDIS_URL" not in extra:
        env.pop("REDIS_URL", None)
    return env


def _prepare(env: dict[str, str], maildir: Path, messages: int) -> None:
    for args in (["migrate", "--noinput"], ["load-catalog"]):
        database.manage(env["DATABASE_URL"], *args, env=env)
    shutil.rmtree(maildir, ignore_errors=True)
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "parvis.bench.mail_batch", str(maildir), "--count", str(messages)],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )


class SqliteTarget:
    """A database file, prepared once, copied (SQLite's backup API) before each run."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / "parvis.sqlite3"
        self.template = home / "template.sqlite3"

    def environment(self) -> dict[str, str]:
        return _environment(f"sqlite:///{self.path}", self.home)

    def prepare(self, maildir: Path, messages: int) -> None:
        self._remove(self.path)
        _prepare(self.environment(), maildir, messages)
        self._remove(self.template)
        with sqlite3.connect(self.path) as source, sqlite3.connect(self.template) as copy:
            source.backup(copy)

    def reset(self) -> None:
        self._remove(self.path)
        for name in ("jobs.sqlite3", "jobs.sqlite3-wal", "jobs.sqlite3-shm"):
            (self.home / name).unlink(missing_ok=True)
        with sqlite3.connect(self.template) as source, sqlite3.connect(self.path) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=WAL")

    def drop(self) -> None:
        self._remove(self.path)
        self._remove(self.template)

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresTarget:
    """A database beside the bench's, prepared once, then the template of each run's copy;
    the cache (Redis) as the preparation left it, restored before each run."""

    def __init__(self, url: str, redis_url: str, home: Path) -> None:
        self.url = url
        self.template_url = _sibling_url(url, "_template")
        self.redis_url = redis_url
        self.home = home
        self.cache: list[tuple[bytes, int, bytes]] = []  # key, milliseconds left, DUMP

    def environment(self) -> dict[str, str]:
        return _environment(self.url, self.home, REDIS_URL=self.redis_url)

    def prepare(self, maildir: Path, messages: int) -> None:
        database.recreate(self.template_url)
        store = redis.Redis.from_url(self.redis_url)
        store.flushdb()
        env = {**self.environment(), "DATABASE_URL": self.template_url}
        _prepare(env, maildir, messages)
        # What SQLite's template keeps in its cache table (the versions, the duplicates'
        # weights, the preparation's rate counters), kept here too; not the job queue,
        # which SQLite's reset empties as well.
        self.cache = []
        for key in store.scan_iter():
            value = store.dump(key)
            if value is not None and not key.startswith(b"huey."):
                self.cache.append((key, max(0, int(store.pttl(key))), bytes(value)))

    def reset(self) -> None:
        # The cache as after the preparation: what a run counted (rate limits) is forgotten.
        store = redis.Redis.from_url(self.redis_url)
        store.flushdb()
        for key, ttl, value in self.cache:
            store.restore(key, ttl, value)
        database.recreate(self.url, template=self.template_url)

    def drop(self) -> None:
        database.drop(self.url, self.template_url)


def _sibling_url(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path + suffix, parts.query, ""))
