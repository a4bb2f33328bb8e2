"""``parvis mail poll``'s two ways: once over every mailbox, or watching them without end.

Watching, each IMAP mailbox has a thread and a connection of its own. Where the server
offers IDLE (RFC 2177) the thread waits for the server to announce a message, and renews
the IDLE every 25 minutes, before the 30 minutes after which a server may drop it; elsewhere
it polls every ``interval`` seconds. A connection that fails (server down, network, TLS, a
database that does not answer) is opened again after 1 s, doubling to 5 minutes, and every
failure is logged. The mailboxes are read again every minute: one added, changed or
deactivated in the administration is followed without a restart.
"""

import imaplib
import logging
import threading
import time

from django.db import close_old_connections, connection
from imapclient import IMAPClient

from parvis.mailin.imap import (
    Handler,
    MailboxUnavailable,
    imap_mailboxes,
    imap_session,
    receive_new,
)
from parvis.mailin.models import Mailbox

logger = logging.getLogger(__name__)

# Socket, TLS and timeout errors are OSErrors; imaplib's error and abort cover the protocol.
CONNECTION_ERRORS = (OSError, imaplib.IMAP4.error)

IDLE_RENEW = 25 * 60.0
IDLE_CHECK = 1.0  # seconds between two looks at the stop flag while idling
FIRST_DELAY = 1.0
MAX_DELAY = 300.0
REFRESH = 60.0  # seconds between two readings of the mailboxes' settings
ONCE_ATTEMPTS = 3


def poll_once(mailbox: Mailbox, handle: Handler) -> None:
    """Take what waits in one mailbox; a failed connection is tried again, twice, after a pause."""
    delay = FIRST_DELAY
    for attempt in range(1, ONCE_ATTEMPTS + 1):
        try:
            with imap_session(mailbox) as client:
                receive_new(mailbox, client, handle)
            return
        except CONNECTION_ERRORS:
            if attempt == ONCE_ATTEMPTS:
                raise
            logger.warning(
                "%s: IMAP connection failed, trying again in %.0f s",
                mailbox.address,
                delay,
                exc_info=True,
            )
            time.sleep(delay)
            delay *= 2


def watch(mailbox: Mailbox, handle: Handler, *, stop: threading.Event, interval: float) -> None:
    """Take each message as it arrives in one mailbox, until ``stop`` is set."""
    delay = FIRST_DELAY
    try:
        while not stop.is_set():
            try:
                with imap_session(mailbox) as client:
                    idle = client.has_capability("IDLE")
                    logger.info("%s: connected (IDLE: %s)", mailbox.address, idle)
                    while not stop.is_set():
                        close_old_connections()
                        receive_new(mailbox, client, handle)
                        delay = FIRST_DELAY  # a whole round went through
                        if idle:
                            _wait_in_idle(client, stop)
                        else:
                            stop.wait(interval)
            except MailboxUnavailable as error:
                logger.error("%s", error)
                stop.wait(MAX_DELAY)
            except Exception:  # any failure (server, network, database): log, pause, again
                logger.warning(
                    "%s: IMAP polling failed, trying again in %.0f s",
                    mailbox.address,
                    delay,
                    exc_info=True,
                )
                stop.wait(delay)
                delay = min(MAX_DELAY, delay * 2)
    finally:
        connection.close()  # this thread's own database connection


def _wait_in_idle(client: IMAPClient, stop: threading.Event) -> None:
    """Until the server announces a message, the IDLE is due for renewal, or ``stop``."""
    client.idle()
    renew_at = time.monotonic() + IDLE_RENEW
    try:
        while not stop.is_set() and time.monotonic() < renew_at:
            started = time.monotonic()
            responses = client.idle_check(timeout=IDLE_CHECK)
            if any(_announces_mail_or_bye(response) for response in responses):
                return
            if not responses and time.monotonic() - started < IDLE_CHECK / 2:
                return  # readable yet nothing to read: the server closed; DONE will tell
    finally:
        client.idle_done()


def _announces_mail_or_bye(response: tuple[object, ...]) -> bool:
    return (len(response) > 1 and response[1] == b"EXISTS") or response[:1] == (b"BYE",)


def _settings(mailbox: Mailbox) -> tuple[object, ...]:
    return (
        mailbox.address,
        mailbox.imap_host,
        mailbox.imap_port,
        mailbox.imap_security,
        mailbox.imap_user,
        mailbox.imap_password_variable,
        mailbox.imap_folder,
        mailbox.imap_done_folder,
    )


class Poller:
    """Every active IMAP mailbox watched on its own thread, as the administration sets them."""

    def __init__(
        self, handle: Handler, *, stop: threading.Event, interval: float, refresh: float = REFRESH
    ) -> None:
        self.handle = handle
        self.stop = stop
        self.interval = interval
        self.refresh = refresh
        self.watchers: dict[int, tuple[tuple[object, ...], threading.Event, threading.Thread]] = {}

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                close_old_connections()
                self._follow({mailbox.pk: mailbox for mailbox in imap_mailboxes()})
                self.stop.wait(self.refresh)
        finally:
            for _settings_then, flag, _thread in self.watchers.values():
                flag.set()
            for pk in list(self.watchers):
                self._end(pk)
            connection.close()

    def _follow(self, mailboxes: dict[int, Mailbox]) -> None:
        for pk, (settings, _flag, thread) in list(self.watchers.items()):
            mailbox = mailboxes.get(pk)
            if mailbox is None or _settings(mailbox) != settings or not thread.is_alive():
                self._end(pk)
        for pk, mailbox in mailboxes.items():
            if pk not in self.watchers:
                flag = threading.Event()
                thread = threading.Thread(
                    target=watch,
                    args=(mailbox, self.handle),
                    kwargs={"stop": flag, "interval": self.interval},
                    name=f"imap {mailbox.address}",
                    daemon=True,
                )
                self.watchers[pk] = (_settings(mailbox), flag, thread)
                thread.start()

    def _end(self, pk: int) -> None:
        _settings_then, flag, thread = self.watchers.pop(pk)
        flag.set()
        thread.join(timeout=IDLE_CHECK + 30)
