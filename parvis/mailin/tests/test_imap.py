"""``parvis mail poll`` against a real Dovecot on loopback (conftest ``dovecot``).

What a mairie sees: the messages of its mailbox become tickets, and are marked read (or
moved to the done folder) on its server only once Parvis has stored them; a failure leaves
them there, unread, for the next poll; a mailbox whose password is missing does not stop
the others; a message arriving while the poller waits in IDLE becomes a ticket in seconds.
"""

import functools
import json
import queue
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from imapclient import IMAPClient

from parvis.mailin import imap, polling
from parvis.mailin.actions import mail_process
from parvis.mailin.models import InboundMessage, Mailbox
from parvis.testing.dovecot import Dovecot
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

CORPUS = Path(__file__).parent / "corpus"
EMAILS = [
    (CORPUS / name).read_bytes()
    for name in (
        "gmail-new-acte-naissance.eml",
        "orange-new-elagage.eml",
        "free-new-inscription-cantine.eml",
    )
]
SUBJECTS = {
    "Demande d'acte de naissance",
    "Élagage du chêne rue des Écoles",
    "Inscription cantine Léa et Hugo Martin",
}
SEEN = b"\\Seen"
VARIABLE = "PARVIS_TEST_IMAP_PASSWORD"


@pytest.fixture
def make_mailbox(
    dovecot: Dovecot, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Mailbox]:
    monkeypatch.setenv(VARIABLE, "motdepasse-imap-test")

    def make(user: str, **fields: Any) -> Mailbox:
        return Mailbox.objects.create(
            **{
                "address": f"{user}@ma-commune.fr",
                "imap_host": dovecot.host,
                "imap_port": dovecot.port,
                "imap_security": Mailbox.Security.NONE,
                "imap_user": user,
                "imap_password_variable": VARIABLE,
            }
            | fields
        )

    return make


def _poll(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("mail", "poll", "--once", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_mails_of_a_mailbox_become_tickets_and_are_marked_read(
    dovecot: Dovecot, imap_user: str, make_mailbox: Callable[..., Mailbox]
) -> None:
    mailbox = make_mailbox(imap_user)
    dovecot.append(imap_user, *EMAILS)

    lines = _poll("--process")

    assert [line["outcome"] for line in lines] == ["created"] * 3
    assert {line["mailbox"] for line in lines} == {mailbox.address}
    assert {t.subject for t in Ticket.objects.all()} == SUBJECTS
    assert sorted(line["reference"] for line in lines) == sorted(
        Ticket.objects.values_list("reference", flat=True)
    )
    for inbound in InboundMessage.objects.all():
        assert inbound.source == InboundMessage.Source.IMAP
        assert inbound.mailbox == mailbox
        assert inbound.recipient == mailbox.address
    # Byte for byte as the server keeps them (IMAP lines end in CRLF).
    crlf = {raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for raw in EMAILS}
    assert {bytes(i.raw) for i in InboundMessage.objects.all()} == crlf
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


def test_without_process_the_worker_makes_the_tickets(
    dovecot: Dovecot, imap_user: str, make_mailbox: Callable[..., Mailbox]
) -> None:
    make_mailbox(imap_user)
    dovecot.append(imap_user, *EMAILS[:2])

    lines = _poll()

    assert [line["outcome"] for line in lines] == ["received", "received"]
    # The worker runs the job inline in tests: it was handed the stored messages.
    assert Ticket.objects.count() == 2
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {"processed"}


def test_a_second_poll_takes_nothing_and_a_message_marked_unread_again_is_not_a_new_ticket(
    dovecot: Dovecot, imap_user: str, make_mailbox: Callable[..., Mailbox]
) -> None:
    make_mailbox(imap_user)
    dovecot.append(imap_user, *EMAILS)
    _poll("--process")

    assert _poll("--process") == []

    with dovecot.client(imap_user) as client:  # someone marks one unread in their mail client
        client.remove_flags(client.search(["ALL"])[:1], [SEEN])
    (line,) = _poll("--process")
    assert line["outcome"] == "ignored"
    assert line["reference"] is not None
    assert Ticket.objects.count() == 3
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


def test_with_a_done_folder_the_mails_are_moved_there(
    dovecot: Dovecot, imap_user: str, make_mailbox: Callable[..., Mailbox]
) -> None:
    make_mailbox(imap_user, imap_done_folder="Traités par Parvis")
    dovecot.append(imap_user, *EMAILS)

    _poll("--process")

    assert Ticket.objects.count() == 3
    assert dovecot.flags(imap_user) == []
    moved = dovecot.flags(imap_user, "Traités par Parvis")
    assert len(moved) == 3
    assert all(SEEN in flags for flags in moved)
    assert _poll("--process") == []


def test_a_server_without_move_gets_copy_delete_expunge(
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    has_capability = IMAPClient.has_capability
    monkeypatch.setattr(
        IMAPClient,
        "has_capability",
        lambda self, name: name.upper() != "MOVE" and has_capability(self, name),
    )
    make_mailbox(imap_user, imap_done_folder="Archives")
    dovecot.append(imap_user, *EMAILS)

    _poll("--process")

    assert dovecot.flags(imap_user) == []  # expunged, not merely flagged deleted
    assert len(dovecot.flags(imap_user, "Archives")) == 3
    assert Ticket.objects.count() == 3


def test_a_message_that_could_not_be_stored_stays_unread_for_the_next_poll(
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_mailbox(imap_user)
    dovecot.append(imap_user, *EMAILS)
    receive = imap.mail_receive
    calls = iter(range(100))

    def fail_on_the_second(**kwargs: Any) -> Any:
        if next(calls) == 1:
            raise RuntimeError("database gone")
        return receive(**kwargs)

    monkeypatch.setattr(imap, "mail_receive", fail_on_the_second)
    with pytest.raises(CommandError, match="1 adresse n'a pas pu être relevée"):
        _poll("--process")

    # The first was stored, then marked; the one that failed and the one after it were not.
    assert [SEEN in flags for flags in dovecot.flags(imap_user)] == [True, False, False]
    assert InboundMessage.objects.count() == 1

    monkeypatch.setattr(imap, "mail_receive", receive)
    assert [line["outcome"] for line in _poll("--process")] == ["created", "created"]
    assert Ticket.objects.count() == 3
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


def test_a_crash_between_storing_and_marking_makes_no_second_ticket(
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_mailbox(imap_user)
    dovecot.append(imap_user, *EMAILS)

    def crash(*args: Any) -> None:
        raise ConnectionResetError("killed before marking")

    mark = imap._mark_taken
    monkeypatch.setattr(imap, "_mark_taken", crash)
    monkeypatch.setattr(polling, "FIRST_DELAY", 0.01)
    with pytest.raises(CommandError):
        _poll("--process")
    assert Ticket.objects.count() == 3  # stored and processed, never marked on the server
    assert not any(SEEN in flags for flags in dovecot.flags(imap_user))

    monkeypatch.setattr(imap, "_mark_taken", mark)
    assert [line["outcome"] for line in _poll("--process")] == ["ignored"] * 3
    assert Ticket.objects.count() == 3
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


def test_a_missing_password_variable_is_named_and_the_other_mailboxes_are_polled(
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
) -> None:
    broken = make_mailbox(f"{imap_user}b", imap_password_variable="PARVIS_IMAP_ABSENTE")
    make_mailbox(imap_user)
    dovecot.append(imap_user, EMAILS[0])
    dovecot.append(f"{imap_user}b", EMAILS[1])
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("mail", "poll", "--once", "--process", stdout=out, stderr=err)

    assert (
        "La variable d'environnement PARVIS_IMAP_ABSENTE, qui doit contenir le mot de passe "
        f"IMAP de {broken.address}, n'est pas définie" in err.getvalue()
    )
    assert Ticket.objects.get().subject == "Demande d'acte de naissance"
    assert dovecot.flags(f"{imap_user}b") == [()]  # untouched


def test_a_refused_password_and_a_missing_folder_are_reported_in_french(
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refused = make_mailbox(imap_user, imap_password_variable="PARVIS_TEST_IMAP_WRONG")
    monkeypatch.setenv("PARVIS_TEST_IMAP_WRONG", "pas-le-bon")
    no_folder = make_mailbox(f"{imap_user}b", imap_folder="Demandes")
    err = StringIO()

    with pytest.raises(CommandError, match="2 adresses n'ont pas pu être relevées"):
        call_command("mail", "poll", "--once", stdout=StringIO(), stderr=err)

    assert (
        f"Le serveur IMAP refuse l'identifiant ou le mot de passe de {refused.address}."
        in err.getvalue()
    )
    assert (
        f"Le dossier « Demandes » n'existe pas dans la boîte IMAP de {no_folder.address}."
        in err.getvalue()
    )


def test_an_unreachable_server_is_tried_again_then_reported(
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(polling, "FIRST_DELAY", 0.01)
    make_mailbox(imap_user, imap_port=polling_closed_port())
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("mail", "poll", "--once", stdout=StringIO(), stderr=err)

    assert f"{imap_user}@ma-commune.fr n'a pas pu être relevée" in err.getvalue()
    assert len([r for r in caplog.records if "trying again" in r.getMessage()]) == 2


def polling_closed_port() -> int:
    from parvis.testing.dovecot import free_port

    return free_port()  # nothing listens there


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_and_starttls_connections_check_the_certificate(
    security: str,
    dovecot: Dovecot,
    imap_user: str,
    make_mailbox: Callable[..., Mailbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = dovecot.tls_port if security == "ssl" else dovecot.port
    make_mailbox(imap_user, imap_security=security, imap_port=port)
    dovecot.append(imap_user, EMAILS[0])
    monkeypatch.setattr(polling, "FIRST_DELAY", 0.01)

    err = StringIO()
    with pytest.raises(CommandError):  # self-signed: not trusted by the system
        call_command("mail", "poll", "--once", stdout=StringIO(), stderr=err)
    assert "CERTIFICATE_VERIFY_FAILED" in err.getvalue()
    assert dovecot.flags(imap_user) == [()]

    trusting = functools.partial(ssl.create_default_context, cafile=str(dovecot.certificate))
    monkeypatch.setattr(imap.ssl, "create_default_context", trusting)
    assert [line["outcome"] for line in _poll("--process")] == ["created"]
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


class Watching:
    """The poller watching the test's mailbox on a thread, as ``parvis mail poll`` does.

    The test learns what the poller took from ``taken`` (a queue the handler fills once the
    message is processed), never by reading the database while the poller writes: SQLite's
    shared in-memory test database refuses a reader then (table locks), PostgreSQL does not.
    """

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.taken: queue.Queue[InboundMessage] = queue.Queue()
        self.thread: threading.Thread | None = None

    def handle(self, batch: list[imap.Received]) -> None:
        for received in batch:
            self.taken.put(mail_process(received.inbound))

    def start(self, interval: float) -> None:
        """Start it and wait until it took the message already there: it waits now."""
        poller = polling.Poller(self.handle, stop=self.stop, interval=interval)
        self.thread = threading.Thread(target=poller.run, name="poller")
        self.thread.start()
        self.next()
        time.sleep(0.5)

    def next(self, timeout: float = 20) -> InboundMessage:
        try:
            return self.taken.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"nothing taken within {timeout} s") from None


@pytest.fixture
def watching(
    dovecot: Dovecot, imap_user: str, make_mailbox: Callable[..., Mailbox]
) -> Iterator[Watching]:
    make_mailbox(imap_user)
    dovecot.append(imap_user, EMAILS[0])
    watcher = Watching()
    yield watcher
    watcher.stop.set()
    if watcher.thread is not None:
        watcher.thread.join(timeout=20)
        assert not watcher.thread.is_alive()


def test_a_mail_arriving_while_the_poller_idles_becomes_a_ticket_within_seconds(
    dovecot: Dovecot, imap_user: str, watching: Watching
) -> None:
    watching.start(600.0)  # never waited for: only the server's word can be this quick
    arrived = time.monotonic()
    dovecot.append(imap_user, EMAILS[1])

    inbound = watching.next()

    assert time.monotonic() - arrived < 15  # a second or less, on a machine not overloaded
    assert inbound.outcome == InboundMessage.Outcome.CREATED
    watching.stop.set()
    assert watching.thread is not None
    watching.thread.join(timeout=20)
    assert Ticket.objects.count() == 2
    assert all(SEEN in flags for flags in dovecot.flags(imap_user))


def test_renewing_the_idle_before_the_servers_timeout_loses_nothing(
    dovecot: Dovecot, imap_user: str, watching: Watching, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "IDLE_RENEW", 0.2)  # 25 minutes, in production
    watching.start(600.0)
    time.sleep(1)  # renewed several times by now
    dovecot.append(imap_user, EMAILS[1])
    assert watching.next().outcome == InboundMessage.Outcome.CREATED


def test_a_server_without_idle_is_polled_every_interval(
    dovecot: Dovecot,
    imap_user: str,
    watching: Watching,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    has_capability = IMAPClient.has_capability
    monkeypatch.setattr(
        IMAPClient,
        "has_capability",
        lambda self, name: name.upper() != "IDLE" and has_capability(self, name),
    )
    watching.start(0.5)
    dovecot.append(imap_user, EMAILS[1])
    assert watching.next().outcome == InboundMessage.Outcome.CREATED


def test_a_connection_closed_by_the_server_is_opened_again(
    dovecot: Dovecot,
    imap_user: str,
    watching: Watching,
    caplog: pytest.LogCaptureFixture,
) -> None:
    watching.start(600.0)
    dovecot.kick(imap_user)  # BYE, as a server restarting says
    _wait_for(lambda: any("trying again" in r.getMessage() for r in caplog.records))
    dovecot.append(imap_user, EMAILS[1])
    assert watching.next().outcome == InboundMessage.Outcome.CREATED


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)
