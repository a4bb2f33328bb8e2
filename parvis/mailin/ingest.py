"""``parvis mail ingest --jobs N``: stored messages processed by N processes at once.

Every message of the run is stored (and committed) first, as always (ADR 0020). Then the
messages are split into chains: those that share an ordering key (``threads.ordering_keys``:
the same sender, one answering the other, the same ticket named), directly or through
others, form one chain, kept in the order they came. Each chain goes whole to one worker,
which processes it in that order; chains are independent, so the workers run side by side.
A reply is thus never processed before the message that opens its ticket when both are in
the batch. Each worker is a process of its own (forked: Django is set up once) with its own
database connection; ``mail_process`` keeps each message exactly once between them as it
does between any processes (ADR 0028). A worker dies with the command (SIGKILL included):
what it had not committed is left to process, and the next run does it.
"""

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections

from parvis.mailin.actions import mail_process
from parvis.mailin.models import InboundMessage
from parvis.routing import duplicates

FORK = multiprocessing.get_context("fork")
READ_TOGETHER = 20  # messages a worker reads from the database in one query
WAIT_SECONDS = 1.0  # between two looks at whether a silent worker is still alive
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Done:
    """What the command prints of a processed message."""

    pk: int
    message_id: str
    outcome: str
    reference: str | None


class WorkerFailed(Exception):
    pass


def chains(messages: Iterable[tuple[int, frozenset[str]]]) -> list[list[int]]:
    """The messages (id, ordering keys) that must keep their order, together: each chain in
    the order given, the chains in the order of their first message."""
    parent: dict[int, int] = {}
    owner: dict[str, int] = {}  # a key → the first message that had it

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    order = []
    for pk, keys in messages:
        parent[pk] = pk
        order.append(pk)
        for key in keys:
            if key in owner:
                parent[root(pk)] = root(owner[key])
            else:
                owner[key] = pk
    found: dict[int, list[int]] = {}
    for pk in order:
        found.setdefault(root(pk), []).append(pk)
    return list(found.values())


def share(all_chains: list[list[int]], workers: int) -> list[list[int]]:
    """The chains dealt to ``workers`` lists of about the same length, longest chain first
    to the least loaded; each list is whole chains one after the other, each in its order."""
    dealt: list[list[int]] = [[] for _ in range(workers)]
    for chain in sorted(all_chains, key=len, reverse=True):
        min(dealt, key=len).extend(chain)
    return [pks for pks in dealt if pks]


def process_shared(shares: list[list[int]]) -> Iterator[Done]:
    """Process each share in a worker process of its own; yield each message as it is done
    (in the order they finish). Raises ``WorkerFailed`` if a worker died before its end."""
    # Learnt once here, shared by the forked workers: each would learn it on its first new
    # ticket, holding the write lock (SQLite) while the others wait.
    duplicates.prepare()
    connections.close_all()  # each worker opens its own; none inherits the command's
    results = FORK.Queue()
    # SQLite has one writer at a time; a writer that finds it taken sleeps 1, 2, 5… ms
    # (its busy handler) and finds it free late. Workers wait their turn on a lock instead,
    # woken the moment it is released.
    turns = FORK.Lock()
    workers = [
        FORK.Process(target=_work, args=(pks, number, os.getpid(), turns, results), daemon=True)
        for number, pks in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    running = set(range(len(workers)))
    try:
        while running:
            try:
                item = results.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                dead = [n for n in running if workers[n].exitcode is not None]
                if dead:
                    code = workers[dead[0]].exitcode
                    raise WorkerFailed(f"worker {dead[0]} ended with {code}") from None
                continue
            if isinstance(item, int):
                running.discard(item)
            else:
                yield item
    finally:
        for worker in workers:
            if running:  # stopped early: a worker died, or the command is stopping
                worker.kill()
            worker.join()


def _work(
    pks: list[int], number: int, parent: int, turns: Any, results: "multiprocessing.Queue[Any]"
) -> None:
    _die_with(parent)

    def writing() -> contextlib.AbstractContextManager[object]:
        return turns if connection.vendor == "sqlite" else contextlib.nullcontext()

    try:
        for batch in itertools.batched(pks, READ_TOGETHER):
            stored = InboundMessage.objects.in_bulk(batch)
            for pk in batch:
                inbound = stored[pk]
                if inbound.state == InboundMessage.State.RECEIVED:
                    inbound = mail_process(inbound, writing=writing)
                results.put(
                    Done(
                        pk=pk,
                        message_id=inbound.message_id,
                        outcome=inbound.outcome,
                        reference=inbound.ticket.reference if inbound.ticket else None,
                    )
                )
        results.put(number)
    finally:
        connections.close_all()


def _die_with(parent: int) -> None:
    """Linux: this process is killed when the command is, whatever kills it."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the command died before the line above
        os._exit(1)
