"""A batch of varied incoming mail: the corpus of ``parvis/mailin/tests/corpus`` made many.

The bench (``make bench``, mail phase) and the crash test of ``parvis mail ingest`` feed the
same batch: each corpus file in turn, copy after copy, until the count is reached. Each copy
is its own set of people and its own conversation, so that no copy is a redelivery of
another and no citizen files more requests than one person does:

- the top-level ``Message-ID`` gets the copy's number (a message without one gets a header
  that makes its bytes, and so its content hash, its own);
- the sender's address gets the copy's number, except a mailer daemon's (a bounce is known
  by its sender);
- the placeholders of the corpus (``{{REFERENCE}}``, ``{{REPLY_ADDRESS}}``,
  ``{{OUR_MESSAGE_ID}}``, the requester) name the copy's own ticket, opened beforehand by a
  first message of its requester (``open_threads``): replies join it by their token, by
  In-Reply-To / References, or by the reference in their subject, as in the mairie.

What comes out of each message is what the corpus index says of its file; the duplicate
pair of the corpus stays a duplicate within its copy (its second delivery is ignored).
"""

import mailbox
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "mailin" / "tests" / "corpus"
_MESSAGE_ID = re.compile(rb"^(Message-ID:\s*<)", re.IGNORECASE | re.MULTILINE)
_FROM = re.compile(rb"^From:.*(?:\r?\n[ \t].*)*", re.IGNORECASE | re.MULTILINE)
_DAEMON = re.compile(rb"(?:mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)


@dataclass(frozen=True)
class Thread:
    """A copy's ticket, opened by its requester's first mail: what its replies name."""

    reference: str
    reply_address: str
    message_id: str
    requester_email: str
    requester_name: str


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.eml"))


def copies_needed(count: int) -> int:
    return -(-count // len(corpus_files()))


def opening_message(copy: int) -> bytes:
    """The first mail of a copy's requester: it opens the ticket the copy's replies join."""
    return (
        f"From: Emilie Roux <emilie.roux.{copy}@example.fr>\r\n"
        "To: contact@ma-commune.fr\r\n"
        f"Subject: Lampadaire en panne rue des Tilleuls ({copy})\r\n"
        f"Message-ID: <ouverture.{copy}@example.fr>\r\n"
        "Date: Mon, 23 Nov 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        "Bonjour,\r\nle lampadaire devant le 12 rue des Tilleuls ne s'allume plus.\r\n"
        "Emilie Roux\r\n"
    ).encode()


def open_threads(count: int) -> list[Thread]:
    """Open one ticket per copy, as the mail path does (Django must be set up)."""
    from parvis.mailin.actions import mail_process, mail_receive
    from parvis.mailin.models import InboundMessage
    from parvis.notifications.envelope import reply_address, sender_address

    threads = []
    for copy in range(copies_needed(count)):
        inbound, _new = mail_receive(raw=opening_message(copy), source=InboundMessage.Source.FILE)
        inbound = mail_process(inbound)
        if inbound.ticket is None:
            raise RuntimeError(f"the opening message of copy {copy} made no ticket")
        reference = inbound.ticket.reference
        threads.append(
            Thread(
                reference=reference,
                reply_address=reply_address(reference, sender_address()),
                message_id=inbound.message_id,
                requester_email=f"emilie.roux.{copy}@example.fr",
                requester_name="Emilie Roux",
            )
        )
    return threads


def batch(count: int, threads: list[Thread]) -> list[bytes]:
    """``count`` messages: the corpus files in turn, each copy naming its own thread."""
    files = [path.read_bytes() for path in corpus_files()]
    return [_copy(files[i % len(files)], i // len(files), threads) for i in range(count)]


def write_maildir(path: Path, messages: list[bytes]) -> Path:
    """A Maildir holding the messages in ``new/``, named so that they sort in batch order."""
    box = mailbox.Maildir(path, create=True)
    for number, raw in enumerate(messages):
        (path / "new" / f"{number:06d}.bench").write_bytes(raw)
    box.close()
    return path


def _copy(raw: bytes, copy: int, threads: list[Thread]) -> bytes:
    head, separator, body = raw.partition(b"\n\n")
    if not separator:
        head, separator, body = raw.partition(b"\r\n\r\n")
    newline = b"\r\n" if b"\r\n" in head else b"\n"
    if _MESSAGE_ID.search(head):
        head = _MESSAGE_ID.sub(rb"\1" + f"copie{copy}.".encode(), head, count=1)
    else:
        head = f"X-Parvis-Bench-Copy: {copy}".encode() + newline + head
    head = _FROM.sub(lambda found: _numbered_sender(found.group(0), copy), head, count=1)
    thread = threads[copy]
    values = {
        "{{OUR_MESSAGE_ID}}": thread.message_id,
        "{{REPLY_ADDRESS}}": thread.reply_address,
        "{{REFERENCE}}": thread.reference,
        "{{REQUESTER_EMAIL}}": thread.requester_email,
        "{{REQUESTER_NAME}}": thread.requester_name,
    }
    whole = head + separator + body
    for placeholder, value in values.items():
        whole = whole.replace(placeholder.encode(), value.encode())
    return whole


def _numbered_sender(header: bytes, copy: int) -> bytes:
    if _DAEMON.search(header) or b"{{" in header:
        return header
    return header.replace(b"@", f".{copy}@".encode())


def main() -> None:
    """``python -m parvis.bench.mail_batch MAILDIR --count N``: open the threads, write the batch.

    Run with the database of the measure in ``DATABASE_URL``; prints one JSON line.
    """
    import argparse
    import json
    import os

    import django

    parser = argparse.ArgumentParser(prog="python -m parvis.bench.mail_batch")
    parser.add_argument("maildir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    django.setup()
    threads = open_threads(args.count)
    write_maildir(args.maildir, batch(args.count, threads))
    print(json.dumps({"messages": args.count, "threads": len(threads)}))


if __name__ == "__main__":
    main()
