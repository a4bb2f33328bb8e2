"""The bench's PostgreSQL database: (re)create it, prepare it through Parvis's commands, query it.

The harness talks to PostgreSQL with psycopg directly and runs Parvis's own commands in
subprocesses with ``DATABASE_URL`` set, so that it never loads Django itself.
"""

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/parvis_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit(f"bench: no database name in {url!r}")
    return name


def _maintenance_url(url: str) -> str:
    """The same server, database ``postgres``: where CREATE/DROP DATABASE are run."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def recreate(url: str, *, template: str | None = None) -> None:
    """Drop the database and create it again, empty or as a copy of ``template``'s."""
    name = sql.Identifier(_database_name(url))
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
        else:
            copied = sql.Identifier(_database_name(template))
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, copied))


def drop(*urls: str) -> None:
    for url in urls:
        with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(_database_name(url))
                )
            )


def exists(url: str) -> bool:
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [_database_name(url)]
        ).fetchone()
    return row is not None


def vacuum_analyze(url: str) -> float:
    """VACUUM ANALYZE the whole database; returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return round(time.perf_counter() - started, 1)


def ticket_count(url: str) -> int:
    """Tickets in the database; 0 when the database or its tables do not exist yet."""
    if not exists(url):
        return 0
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('tickets_ticket')").fetchone() == (None,):
            return 0
        row = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()
    return int(row[0]) if row else 0


def server_version(url: str) -> str:
    with psycopg.connect(_maintenance_url(url)) as conn:  # the bench's database may not exist
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def random_references(url: str, count: int) -> list[str]:
    """References of tickets picked at random, as agents open any of them."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT reference FROM tickets_ticket ORDER BY random() LIMIT %s", [count]
        ).fetchall()
    return [str(row[0]) for row in rows]


def ids(url: str, query: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [int(row[0]) for row in conn.execute(query.encode()).fetchall()]


def manage(url: str, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run a Parvis management command against the bench database and return its output.

    The bench stops if the command fails.
    """
    started = time.monotonic()
    command = [sys.executable, "-m", "parvis.manage", *args]
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        command,
        env={**os.environ, **(env or {}), "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: `parvis {' '.join(args)}` failed (exit {result.returncode})")
    print(f"bench: parvis {' '.join(args)} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return result.stdout


class Backends:
    """The PostgreSQL processes serving the bench's database (not other databases' ones).

    On a machine shared with other users of the same server (test suites), all PostgreSQL
    processes together say little about the bench; these do. Parallel query workers, which
    live for one query, are missed: the all-processes figure counts them.
    """

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)

    def pids(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        return [int(row[0]) for row in rows]

    def close(self) -> None:
        self.conn.close()
