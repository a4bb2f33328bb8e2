"""The ``search`` phase of ``make bench``: the agents' ticket search and the document search.

``measure(url, data_dir, tickets=N)`` runs on a database of its own (the bench database's
name + ``_search``), seeded once with N tickets (COPY, ``fixtures.seed``) and reused while
it holds enough. Then ``python -m parvis.bench.search`` times, in one process against
PostgreSQL, what a page does without the HTTP around it:

- ``ticket_search``: one page of the widest queue ("all", the bench agent is in every
  service) searched for words of subjects, requesters' names, parts of references, emails
  and phone numbers picked from the seeded tickets — ``queue_page`` and its rows fetched;
- ``document_search``: ``search_documents`` among 1,000 articles written from the demo
  corpus, for the corpus's subjects typed in haste (no accents, words left out).

Targets: ticket search p95 < 150 ms with 1,000,000 tickets; document search p95 < 20 ms.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SEARCH_TICKETS = 1_000_000
TARGET_TICKET_P95_MS = 150
TARGET_DOCUMENT_P95_MS = 20
BENCH_KIND = "bench-article"


def measure(
    postgres_url: str, data_dir: Path, *, tickets: int, queries: int = 300
) -> dict[str, Any]:
    """Seed (when needed) the search database, then time both searches in a subprocess."""
    from parvis.bench import database
    from parvis.bench.client import progress
    from parvis.bench.mail import _sibling_url
    from parvis.bench.server import server_environment

    url = _sibling_url(postgres_url, "_search")
    env = server_environment(url, data_dir)
    existing = database.ticket_count(url)
    seeded: dict[str, Any] = {"reseeded": False}
    if existing < tickets:
        progress(f"search: (re)creating {url.rsplit('/', 1)[-1]} with {tickets} tickets")
        database.recreate(url)
        database.manage(url, "migrate", "--noinput", env=env)
        database.manage(url, "load-catalog", env=env)
        started = time.monotonic()
        _run(
            env,
            "parvis.bench.seeding",
            "--tickets",
            str(tickets),
            "--requesters",
            str(max(100, tickets // 4)),
        )
        seeded = {"reseeded": True, "seed_seconds": round(time.monotonic() - started, 1)}
    else:
        database.manage(url, "migrate", "--noinput", env=env)
    progress("search: timing the ticket and document searches")
    figures = _run(env, "parvis.bench.search", "--queries", str(queries))
    return {**figures, **seeded, "tickets": database.ticket_count(url)}


def _run(env: dict[str, str], module: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", module, *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: {module} failed (exit {result.returncode})")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def measure_here(*, queries: int = 300, documents: int = 1000, seed: int = 2026) -> dict[str, Any]:
    """Both searches timed in this process, on the database Django is set up with."""
    rng = random.Random(seed)
    figures = _ticket_search(rng, queries)
    figures |= _document_search(rng, documents, queries)
    figures["targets_met"] = {
        "ticket_search_p95_ms": figures["ticket_search_ms_p95"] < TARGET_TICKET_P95_MS,
        "document_search_p95_ms": figures["document_search_ms_p95"] < TARGET_DOCUMENT_P95_MS,
    }
    return figures


def _ticket_search(rng: random.Random, queries: int) -> dict[str, Any]:
    from parvis.accounts.models import User
    from parvis.bench.fixtures import BENCH_USERNAME
    from parvis.core.text import normalize_phone
    from parvis.tickets.models import Ticket
    from parvis.tickets.selectors import QueueFilters, queue_page

    agent = User.objects.get(username=BENCH_USERNAME)
    sample = list(
        Ticket.objects.order_by("?").values_list(
            "reference", "subject", "requester_name", "requester_email", "requester_phone"
        )[: max(20, queries // 5)]
    )
    asked: list[tuple[str, str]] = []  # (kind, text)
    for reference, subject, name, email, phone in sample:
        words = [word for word in subject.split() if len(word) > 3]
        two = " ".join(rng.sample(words, min(2, len(words)))) if words else subject
        asked += [("subject", two), ("surname", name.split()[-1]), ("reference", reference[-5:])]
        if email:
            asked.append(("email", email.split("@")[0]))
        if phone:
            asked.append(("phone", normalize_phone(phone)))
    rng.shuffle(asked)
    asked = asked[:queries]
    texts = [text for _kind, text in asked]

    def search(text: str) -> int:
        page = queue_page(agent, QueueFilters(view="all", query=text), 1)
        return len(page.object_list)

    search(texts[0])  # the first query reads the catalogue: not a search's cost
    latencies, found = _timed(search, texts)
    by_kind: dict[str, list[float]] = {}
    for (kind, _text), latency in zip(asked, latencies, strict=True):
        by_kind.setdefault(kind, []).append(latency)
    return {
        "ticket_search_queries": len(texts),
        "ticket_search_ms_p50": _percentile(latencies, 50),
        "ticket_search_ms_p95": _percentile(latencies, 95),
        "ticket_search_ms_max": round(max(latencies), 1),
        "ticket_search_empty_pages": sum(1 for count in found if count == 0),
        # Two words of a subject, a surname, a part of a reference, an email, a phone.
        "ticket_search_by_kind": {
            kind: {
                "queries": len(times),
                "ms_p50": _percentile(times, 50),
                "ms_p95": _percentile(times, 95),
                "ms_max": round(max(times), 1),
            }
            for kind, times in sorted(by_kind.items())
        },
    }


def _document_search(rng: random.Random, documents: int, queries: int) -> dict[str, Any]:
    from django.db import transaction

    from parvis.demo.data import demo_corpus
    from parvis.search.actions import document_index
    from parvis.search.models import SearchDocument
    from parvis.search.selectors import search_documents

    corpus = demo_corpus()
    scenarios = corpus.scenarios
    started = time.perf_counter()
    with transaction.atomic():
        SearchDocument.objects.filter(kind=BENCH_KIND).delete()
        for number in range(documents):
            parts = rng.sample(scenarios, min(6, len(scenarios)))
            document_index(
                kind=BENCH_KIND,
                object_id=number + 1,
                title=parts[0].subject,
                body=" ".join(f"{part.subject}. {part.description}" for part in parts),
                keywords=parts[0].request_type,
            )
    indexing = time.perf_counter() - started
    texts = [_as_a_citizen_types(rng, scenario.subject) for scenario in scenarios]
    texts = [text for text in texts if text]
    texts = (texts * (queries // max(1, len(texts)) + 1))[:queries]
    started = time.perf_counter()
    search_documents(kind=BENCH_KIND, text=texts[0])  # builds this process's index
    building = time.perf_counter() - started
    latencies, found = _timed(lambda text: len(search_documents(kind=BENCH_KIND, text=text)), texts)
    SearchDocument.objects.filter(kind=BENCH_KIND).delete()
    return {
        "document_search_documents": documents,
        "document_search_queries": len(texts),
        "document_search_ms_p50": _percentile(latencies, 50),
        "document_search_ms_p95": _percentile(latencies, 95),
        "document_search_empty_results": sum(1 for count in found if count == 0),
        "document_index_seconds": round(indexing, 1),
        "document_index_build_ms": round(building * 1000, 1),
    }


def _as_a_citizen_types(rng: random.Random, subject: str) -> str:
    """A subject as typed in haste: lower case, no accents, a word in three left out."""
    from parvis.core.text import normalize

    words = [word for word in normalize(subject).split() if rng.random() > 1 / 3]
    return " ".join(words)


def _timed(call: Callable[[str], int], texts: Sequence[str]) -> tuple[list[float], list[int]]:
    latencies, found = [], []
    for text in texts:
        started = time.perf_counter()
        found.append(call(text))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, found


def _percentile(latencies: Sequence[float], percent: int) -> float:
    if len(latencies) < 2:
        return round(latencies[0], 1) if latencies else 0.0
    return round(statistics.quantiles(latencies, n=100)[percent - 1], 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m parvis.bench.search")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    import django

    django.setup()
    print(json.dumps(measure_here(queries=args.queries, documents=args.documents)))


if __name__ == "__main__":
    main()
