"""``parvis mail ingest PATH...`` (.eml files or Maildirs), ``parvis mail serve`` (SMTP/LMTP)
and ``parvis mail poll`` (the mairie's IMAP mailboxes).

All take the path every mail takes: stored as it arrived, then processed once.

One JSON line per message on stdout:
``{"message_id": ..., "outcome": "created" | "appended" | "auto_reply" | "bounce" |
"ignored" | "quarantined", "reference": ...}``. A message already received (same
Message-ID, else same bytes) is not processed again: it is "ignored", with the reference of
the ticket it went to the first time. ``poll`` hands processing to the worker unless
``--process`` is given, and then says "received" (the worker decides what it becomes).
"""

import argparse
import gc
import itertools
import json
import logging
import mailbox
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.mailin.actions import mail_process, mail_receive_many
from parvis.mailin.ingest import WorkerFailed, blocks, chains, process_shared
from parvis.mailin.models import InboundMessage
from parvis.mailin.parsing import header_block, read_envelope
from parvis.mailin.threads import ordering_keys

if TYPE_CHECKING:
    from parvis.mailin.imap import Handler, Received
    from parvis.tickets.models import Ticket

# The IMAP client, the SMTP server and the job queue are imported by the verb that uses
# them: `mail ingest` is timed with its start-up (bench), and needs none of them.

logger = logging.getLogger(__name__)

RECEIVED_TOGETHER = 50  # messages stored in one transaction, then processed one by one
# ``--jobs``: a worker costs a fork and a connection; below this many messages each, fewer.
SHARED_FROM = 20
RECEIVED = InboundMessage.State.RECEIVED


class Stored(NamedTuple):
    """A message of ``mail ingest`` as stored, with what was read of it on arrival."""

    inbound: InboundMessage
    new: bool
    raw: bytes
    headers: dict[str, str] | None  # None: the header block could not be read


class Command(BaseCommand):
    # A mail server may start ``ingest`` for every message it hands over: the system checks
    # (every URL and view imported, a third of the start-up) are ``parvis check``'s job.
    requires_system_checks: list[str] = []
    help = _(
        "Courriels entrants : « ingest » lit des fichiers .eml ou des dossiers Maildir, "
        "« serve » les reçoit par SMTP ou LMTP, « poll » relève les boîtes IMAP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        ingest = actions.add_parser("ingest", help=_("lire des fichiers .eml ou des Maildir"))
        ingest.add_argument("paths", nargs="+", type=Path)
        ingest.add_argument("--recipient", default="", help=_("l'adresse qui a reçu ces messages"))
        ingest.add_argument(
            "--jobs",
            type=_positive,
            default=os.cpu_count() or 1,
            help=_("processus qui traitent les messages en même temps (un par cœur)"),
        )
        serve = actions.add_parser("serve", help=_("recevoir le courrier par SMTP ou LMTP"))
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=2525)
        serve.add_argument("--lmtp", action="store_true", help=_("parler LMTP plutôt que SMTP"))
        poll = actions.add_parser(
            "poll", help=_("relever les boîtes IMAP des adresses de la mairie")
        )
        poll.add_argument(
            "--once", action="store_true", help=_("relever chaque boîte une fois, puis s'arrêter")
        )
        poll.add_argument(
            "--process",
            action="store_true",
            help=_("traiter chaque message ici plutôt que par les tâches de fond"),
        )
        poll.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help=_("secondes entre deux relevés, pour un serveur sans IDLE (60)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ingest":
            self._ingest(options["paths"], options["recipient"], jobs=options["jobs"])
        elif options["action"] == "serve":
            self._serve(options["host"], options["port"], lmtp=options["lmtp"])
        elif options["action"] == "poll":
            self._poll(
                once=options["once"], process=options["process"], interval=options["interval"]
            )

    def _poll(self, *, once: bool, process: bool, interval: float) -> None:
        from parvis.mailin.polling import Poller
        from parvis.mailin.tasks import process_inbound_soon

        printing = threading.Lock()  # one line at a time, whichever mailbox's thread writes

        def handle(batch: "list[Received]") -> None:
            for received in batch:
                inbound = received.inbound
                if process and inbound.state == InboundMessage.State.RECEIVED:
                    inbound = mail_process(inbound)
                outcome = inbound.outcome if process else "received"
                line = {
                    "mailbox": received.mailbox.address,
                    "message_id": inbound.message_id or None,
                    "outcome": outcome if received.new else InboundMessage.Outcome.IGNORED,
                    "reference": inbound.ticket.reference if inbound.ticket else None,
                }
                with printing:
                    self.stdout.write(json.dumps(line, ensure_ascii=False))
            if not process and any(received.new for received in batch):
                process_inbound_soon()  # stored and committed: the worker may process them

        if once:
            self._poll_each_once(handle)
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        Poller(handle, stop=stop, interval=interval).run()

    def _poll_each_once(self, handle: "Handler") -> None:
        from parvis.mailin.imap import MailboxUnavailable, imap_mailboxes
        from parvis.mailin.polling import poll_once

        failed = 0
        for box in imap_mailboxes():
            try:
                poll_once(box, handle)
            except MailboxUnavailable as error:
                failed += 1
                self.stderr.write(str(error))
            except Exception as error:  # the other mailboxes are polled still
                failed += 1
                logger.warning("%s: IMAP poll failed", box.address, exc_info=True)
                self.stderr.write(
                    _("%(address)s n'a pas pu être relevée : %(error)s")
                    % {"address": box.address, "error": error}
                )
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d adresse n'a pas pu être relevée.",
                    "%(count)d adresses n'ont pas pu être relevées.",
                    failed,
                )
                % {"count": failed}
            )

    def _serve(self, host: str, port: int, *, lmtp: bool) -> None:
        from parvis.mailin.smtp import InboundController, accepted_domains

        controller = InboundController(host=host, port=port, lmtp=lmtp)
        controller.start()
        protocol = "LMTP" if lmtp else "SMTP"
        self.stderr.write(
            _("Courrier entrant : %(protocol)s sur %(host)s:%(port)d (domaines : %(domains)s)")
            % {
                "protocol": protocol,
                "host": host,
                "port": port,
                "domains": ", ".join(sorted(accepted_domains())),
            }
        )
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        try:
            stop.wait()
        finally:
            controller.stop()

    def _ingest(self, paths: list[Path], recipient: str, *, jobs: int) -> None:
        # What start-up made (modules, settings, models: ~110,000 objects) lives as long as
        # the command: frozen, the collector never walks it again — neither in the full
        # collections of a long batch nor at exit (0.2 – 0.3 s of 5 for 1,000 messages) —
        # and the forked workers share it untouched.
        gc.freeze()
        received: Iterable[Stored] = _received(_messages(paths), recipient)
        if jobs > 1:
            received = list(received)  # all stored and committed, then processed
            first = _first_deliveries(received)
            pending = [r for r in received if r.inbound.pk in first and r.inbound.state == RECEIVED]
            workers = min(jobs, len(pending) // SHARED_FROM)
            if workers > 1:
                self._ingest_shared(received, first, workers, recipient)
                return
        done: set[int] = set()  # the same message twice in a batch is one row
        for inbound, new, _raw, _headers in received:
            # Received but not processed: a run killed in between; processed now, once.
            first_time = inbound.pk not in done and (new or inbound.state == RECEIVED)
            if first_time and inbound.state == RECEIVED:
                inbound = mail_process(inbound)
            elif inbound.pk in done:
                inbound.refresh_from_db(fields=["outcome", "ticket"])
            done.add(inbound.pk)
            # A message processed before (a second delivery, a file given twice) is
            # ignored this time; its reference is the ticket it made or joined then.
            outcome = inbound.outcome if first_time else InboundMessage.Outcome.IGNORED
            self._print(inbound.message_id, outcome, _reference(inbound.ticket))

    def _ingest_shared(
        self,
        received: list[Stored],
        first: set[int],
        workers: int,
        recipient: str,
    ) -> None:
        """``--jobs``: the chains of messages that keep their order taken by workers
        (``parvis.mailin.ingest``); a line per message as it is done, the second deliveries
        and those done before last."""
        keyed = {
            # The keys of the message as stored (a run killed before processing stored it).
            item.inbound.pk: ordering_keys(
                read_envelope(item.raw, item.headers)
                if item.new
                else read_envelope(bytes(item.inbound.raw)),
                recipient,
            )
            for item in received
            if item.inbound.pk in first
        }
        try:
            for done in process_shared(blocks(chains(keyed.items())), workers):
                self._print(done.message_id, done.outcome, done.reference)
        except WorkerFailed as error:
            raise CommandError(
                _("Le traitement s'est arrêté (%(error)s) : relancez la commande.")
                % {"error": error}
            ) from error
        seen: set[int] = set()
        for inbound, _new, _raw, _headers in received:
            if inbound.pk in first and inbound.pk not in seen:
                seen.add(inbound.pk)
                continue
            inbound.refresh_from_db(fields=["outcome", "ticket"])
            ignored = InboundMessage.Outcome.IGNORED
            self._print(inbound.message_id, ignored, _reference(inbound.ticket))

    def _print(self, message_id: str, outcome: str, reference: str | None) -> None:
        line = {"message_id": message_id or None, "outcome": outcome, "reference": reference}
        self.stdout.write(json.dumps(line, ensure_ascii=False))


def _reference(ticket: "Ticket | None") -> str | None:
    return ticket.reference if ticket else None


def _first_deliveries(received: list[Stored]) -> set[int]:
    """The rows this run processes: stored now, or stored by a run killed before it could."""
    return {r.inbound.pk for r in received if r.new or r.inbound.state == RECEIVED}


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            _("« %(value)s » n'est pas un nombre de processus (1 ou plus).") % {"value": value}
        )
    return int(value)


def _received(raws: Iterator[bytes], recipient: str) -> Iterator[Stored]:
    """Stored a batch at a time (one commit for the batch), each batch before it is processed;
    each message's header block read once, for its Message-ID and its ordering keys."""
    for batch in itertools.batched(raws, RECEIVED_TOGETHER):
        blocks = [_header_block(raw) for raw in batch]
        stored = mail_receive_many(
            raws=list(batch),
            source=InboundMessage.Source.FILE,
            recipient=recipient,
            headers=[block or {} for block in blocks],
        )
        for (inbound, new), raw, block in zip(stored, batch, blocks, strict=True):
            yield Stored(inbound, new, raw, block)


def _header_block(raw: bytes) -> dict[str, str] | None:
    try:
        return header_block(raw)
    except (ValueError, TypeError, IndexError):
        return None


def _messages(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield box.get_bytes(key)
        elif path.is_dir():
            for file in sorted(path.rglob("*.eml")):
                yield file.read_bytes()
        elif path.is_file():
            yield path.read_bytes()
        else:
            raise CommandError(_("« %(path)s » n'existe pas.") % {"path": path})
