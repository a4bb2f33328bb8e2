"""``parvis mail ingest --jobs N``: messages processed side by side, in order where it matters.

The chains (``parvis.mailin.ingest``) are checked alone, then the real command, in a process
of its own with two workers, on a batch where half the messages answer another of the same
batch: each answer must join the ticket its first message opened, so the first must have
been processed before it, whichever worker had which.
"""

import multiprocessing
import subprocess
import sys
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

# A spawned child imports this module before Django is set up: no model at module level.
from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    command_environment,
    run_processes,
    setup_django,
    shared_database_name,
)

PARVIS = Path(sys.executable).with_name("parvis")
PAIRS = 30


def _mail(sender: str, message_id: str, subject: str, *headers: str) -> bytes:
    lines = [
        f"From: {sender}",
        "To: contact@ma-commune.fr",
        f"Subject: {subject}",
        f"Message-ID: <{message_id}>",
        *headers,
        "Content-Type: text/plain; charset=utf-8",
        "",
        f"Bonjour, {subject.lower()}.",
    ]
    return "\r\n".join(lines).encode()


def test_messages_that_answer_name_or_share_a_sender_are_one_chain_in_order() -> None:
    from parvis.mailin.ingest import chains
    from parvis.mailin.parsing import read_envelope
    from parvis.mailin.threads import ordering_keys

    raws = {
        1: _mail("a@example.fr", "1@example.fr", "Trottoir abîmé"),
        2: _mail("b@example.fr", "2@example.fr", "Bruit la nuit"),
        3: _mail("c@example.fr", "3@example.fr", "Re: Trottoir", "In-Reply-To: <1@example.fr>"),
        4: _mail("b@example.fr", "4@example.fr", "Bruit, suite"),
        5: _mail("d@example.fr", "5@example.fr", "Demande 2026-00042"),
        6: _mail("e@example.fr", "6@example.fr", "Re: [2026-00042] suite"),
        7: _mail("MAILER-DAEMON@mx.example.net", "7@mx.example.net", "Undelivered"),
        8: _mail("MAILER-DAEMON@mx.example.net", "8@mx.example.net", "Undelivered"),
        9: _mail("f@example.fr", "9@example.fr", "Rien à voir"),
    }
    keyed = [(pk, ordering_keys(read_envelope(raw))) for pk, raw in raws.items()]
    # A reply-all from another address follows what it answers; a sender's mails keep their
    # order; two mails naming one ticket too; a mail server's reports are no one's chain.
    assert chains(keyed) == [[1, 3], [2, 4], [5, 6], [7], [8], [9]]
    assert ordering_keys(read_envelope(raws[1]), "x+t.2026-00007.0123456789abcdef@m.fr") >= {
        "ref:2026-00007"
    }


def test_chains_are_packed_whole_each_in_its_order_longest_first() -> None:
    from parvis.mailin.ingest import blocks

    # The order within a chain is the order given (a message stored by an earlier run
    # may have a lower id than one it answers): never re-sorted, never split.
    packed = blocks([[1, 9, 4], [2], [3, 5], [6], [8, 7]], size=4)
    assert packed == [[1, 9, 4], [3, 5, 8, 7], [2, 6]]
    assert blocks([[1, 2, 3, 4, 5, 6]], size=4) == [[1, 2, 3, 4, 5, 6]]
    assert blocks([[1]]) == [[1]]


def _outcomes(
    database_name: str, worker: int, barrier: Barrier, results: "multiprocessing.Queue[Any]"
) -> None:
    """Child: each message's outcome and ticket, by Message-ID."""
    try:
        setup_django(database_name)
        from parvis.mailin.models import InboundMessage

        rows = InboundMessage.objects.values_list("message_id", "state", "outcome", "ticket_id")
        results.put(({m: (s, o, t) for m, s, o, t in rows}, ""))
    except BaseException:
        results.put(({}, traceback.format_exc()))
    finally:
        close_connections()


def test_ingest_with_two_workers_processes_an_answer_after_what_it_answers(
    transactional_db: None, tmp_path: Path
) -> None:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()
    maildir = tmp_path / "batch"
    (maildir / "new").mkdir(parents=True)
    (maildir / "cur").mkdir()
    for pair in range(PAIRS):
        # The citizen writes; a neighbour in copy answers all, right after, from another
        # address: the answer belongs to the ticket the first mail opens.
        first = _mail(f"citoyen.{pair}@example.fr", f"{pair}@example.fr", f"Lampadaire {pair}")
        answer = _mail(
            f"voisin.{pair}@example.fr",
            f"re.{pair}@example.fr",
            f"Re: Lampadaire {pair}",
            f"In-Reply-To: <{pair}@example.fr>",
        )
        (maildir / "new" / f"{pair:03d}.a").write_bytes(first)
        (maildir / "new" / f"{pair:03d}.b").write_bytes(answer)
    database_name = shared_database_name(tmp_path)
    result = subprocess.run(
        [str(PARVIS), "mail", "ingest", "--jobs", "2", str(maildir)],
        env=command_environment(database_name, tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2 * PAIRS

    [(stored, error)] = run_processes(_outcomes, database_name, count=1)
    assert not error, error
    for pair in range(PAIRS):
        _state, outcome, ticket = stored[f"<{pair}@example.fr>"]
        assert outcome == "created"
        assert stored[f"<re.{pair}@example.fr>"][1:] == ("appended", ticket), pair
