"""``parvis mail ingest --jobs N``: stored messages processed by N processes at once.

Every message of the run is stored (and committed) first, as always (ADR 0020). Then the
messages are split into chains: those that share an ordering key (``threads.ordering_keys``:
the same sender, one answering the other, the same ticket named), directly or through
others, form one chain, kept in the order they came. The chains are packed whole into
blocks of about ``READ_TOGETHER`` messages, and each worker takes the next block as soon as
it is done with its own, processing each chain of it in its order: chains are independent,
so the workers run side by side, and they finish together (a share dealt beforehand would
leave one worker alone with its slower messages at the end).
A reply is thus never processed before the message that opens its ticket when both are in
the batch. Each worker is a process of its own (forked: Django is set up once) with its own
database connection; ``mail_process`` keeps each message exactly once between them as it
does between any processes (ADR 0028). A worker dies with the command (SIGKILL included):
what it had not committed is left to process, and the next run does it.
"""

import contextlib
import ctypes
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


def blocks(all_chains: list[list[int]], size: int = READ_TOGETHER) -> list[list[int]]:
    """The chains packed whole into blocks of about ``size`` messages (a longer chain is a
    block of its own), the longest chains first, so that the last blocks taken are the
    shortest; each block is whole chains one after the other, each in its order."""
    packed: list[list[int]] = []
    block: list[int] = []
    for chain in sorted(all_chains, key=len, reverse=True):
        if block and len(block) + len(chain) > size:
            packed.append(block)
            block = []
        block.extend(chain)
    if block:
        packed.append(block)
    return packed


def process_shared(work: list[list[int]], workers: int) -> Iterator[Done]:
    """Process the blocks in ``workers`` processes of their own, each taking the next block
    when done; yield each message as it is done (in the order they finish). Raises
    ``WorkerFailed`` if a worker died before its end."""
    # Learnt once here, shared by the forked workers: each would learn it on its first new
    # ticket, holding the write lock (SQLite) while the others wait.
    duplicates.prepare()
    connections.close_all()  # each worker opens its own; none inherits the command's
    results = FORK.Queue()
    waiting = FORK.Queue()  # the blocks, then one end mark per worker
    waiting.cancel_join_thread()  # a run stopped early exits without feeding the rest
    # SQLite has one writer at a time; a writer that finds it taken sleeps 1, 2, 5… ms
    # (its busy handler) and finds it free late. Workers wait their turn on a lock instead,
    # woken the moment it is released.
    turns = FORK.Lock()
    processes = [
        FORK.Process(target=_work, args=(waiting, number, os.getpid(), turns, results), daemon=True)
        for number in range(workers)
    ]
    for process in processes:
        process.start()
    # Put once the workers run (a queue's feeder thread is not forked), without waiting:
    # the queue holds what its pipe cannot yet.
    for block in [*work, *[None] * workers]:
        waiting.put(block)
    running = set(range(workers))
    try:
        while running:
            try:
                item = results.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                dead = [n for n in running if processes[n].exitcode is not None]
                if dead:
                    code = processes[dead[0]].exitcode
                    raise WorkerFailed(f"worker {dead[0]} ended with {code}") from None
                continue
            if isinstance(item, int):
                running.discard(item)
            else:
                yield item
    finally:
        for process in processes:
            if running:  # stopped early: a worker died, or the command is stopping
                process.kill()
            process.join()


def _work(
    waiting: Any, number: int, parent: int, turns: Any, results: "multiprocessing.Queue[Any]"
) -> None:
    _die_with(parent)

    def writing() -> contextlib.AbstractContextManager[object]:
        return turns if connection.vendor == "sqlite" else contextlib.nullcontext()

    try:
        while (batch := waiting.get()) is not None:
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
