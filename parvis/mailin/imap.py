"""The mairie's IMAP mailboxes, the second way its mail reaches Parvis (``parvis mail poll``).

A message is taken from the server in three steps, in this order: its bytes are read without
touching its flags (``BODY.PEEK[]``: a plain ``RFC822`` fetch would mark it read at once),
stored (``mail_receive``, committed), and only then marked on the server — flagged
``\\Seen``, or moved to the mailbox's done folder. A poller killed between the commit and
the mark finds the message again at the next poll, and ``mail_receive`` recognises it (same
Message-ID, else same bytes): nothing is lost, nothing is made twice (ADR 0020).

The password is never stored: the mailbox names the environment variable that holds it
(``NAME_FILE`` also works, as for every secret of Parvis).
"""

import contextlib
import logging
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from imapclient import DELETED, SEEN, IMAPClient
from imapclient.exceptions import LoginError

from parvis.env import env_str
from parvis.mailin.actions import mail_receive
from parvis.mailin.models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)

BATCH = 10  # messages fetched at once: up to PARVIS_MAIL_MAX_MB each, in memory together
TIMEOUT = 60.0  # seconds a server may stay silent outside IDLE before the connection is dropped


class MailboxUnavailable(Exception):
    """A mailbox that cannot be polled as configured (its message is for the administrator)."""


@dataclass(frozen=True)
class Received:
    """A message taken from a mailbox: ``new`` is False when it had been received before."""

    mailbox: Mailbox
    inbound: InboundMessage
    new: bool


Handler = Callable[[list[Received]], None]


def imap_mailboxes() -> QuerySet[Mailbox]:
    """The active addresses that have an IMAP server to poll."""
    return Mailbox.objects.filter(is_active=True).exclude(imap_host="")


def imap_password(mailbox: Mailbox) -> str:
    """Read at each connection, so that a password changed in the environment file (or its
    ``_FILE``) is used at the next reconnection; missing, the administrator is told which."""
    variable = mailbox.imap_password_variable.strip()
    try:
        password = env_str(variable) if variable else ""
    except OSError as error:
        raise MailboxUnavailable(
            _(
                "Le fichier %(variable)s_FILE du mot de passe IMAP de %(address)s "
                "est illisible : %(error)s"
            )
            % {"variable": variable, "address": mailbox.address, "error": error}
        ) from error
    if not password:
        raise MailboxUnavailable(
            _(
                "La variable d'environnement %(variable)s, qui doit contenir le mot de passe "
                "IMAP de %(address)s, n'est pas définie : cette adresse n'est pas relevée."
            )
            % {"variable": variable or "?", "address": mailbox.address}
        )
    return password


@contextlib.contextmanager
def imap_session(mailbox: Mailbox) -> Iterator[IMAPClient]:
    """Logged in, the folder to poll selected, the done folder created if it is missing."""
    password = imap_password(mailbox)  # before connecting: a missing variable needs no server
    security = mailbox.imap_security
    context = ssl.create_default_context()
    port = mailbox.imap_port or (993 if security == Mailbox.Security.SSL else 143)
    client = IMAPClient(
        mailbox.imap_host,
        port=port,
        ssl=security == Mailbox.Security.SSL,
        ssl_context=context,
        timeout=TIMEOUT,
    )
    try:
        if security == Mailbox.Security.STARTTLS:
            client.starttls(context)
        try:
            client.login(mailbox.imap_user, password)
        except LoginError as error:
            raise MailboxUnavailable(
                _("Le serveur IMAP refuse l'identifiant ou le mot de passe de %(address)s.")
                % {"address": mailbox.address}
            ) from error
        done = mailbox.imap_done_folder.strip()
        if done and not client.folder_exists(done):
            client.create_folder(done)
        folder = mailbox.imap_folder.strip() or "INBOX"
        if not client.folder_exists(folder):
            raise MailboxUnavailable(
                _("Le dossier « %(folder)s » n'existe pas dans la boîte IMAP de %(address)s.")
                % {"folder": folder, "address": mailbox.address}
            )
        client.select_folder(folder)
        yield client
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone: close the socket, if any
            with contextlib.suppress(OSError):
                client.shutdown()


def receive_new(mailbox: Mailbox, client: IMAPClient, handle: Handler) -> int:
    """Store every message still to take from the folder, a batch at a time, mark each batch
    taken on the server, and give it to ``handle`` (to process or to hand to the worker).

    With a done folder every message left in the folder is still to take (those taken were
    moved); without, the unread ones. A message larger than ``PARVIS_MAIL_MAX_MB`` is left on
    the server, untouched, and logged: the mairie reads it in its own mail client.
    """
    done = mailbox.imap_done_folder.strip()
    criteria = ["NOT", "DELETED"] if done else ["UNSEEN", "NOT", "DELETED"]
    uids = sorted(client.search(criteria))
    taken = 0
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        sizes = client.fetch(chunk, ["RFC822.SIZE"])
        wanted = []
        for uid in chunk:
            size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
            if size > settings.PARVIS_MAIL_MAX_BYTES:
                logger.warning(
                    "%s: message UID %s is %s bytes, over the limit: left on the server",
                    mailbox.address,
                    uid,
                    size,
                )
            elif uid in sizes:  # not expunged by someone else since the search
                wanted.append(uid)
        if wanted:
            taken += _take(mailbox, client, wanted, handle)
    return taken


def _take(mailbox: Mailbox, client: IMAPClient, uids: list[int], handle: Handler) -> int:
    bodies = client.fetch(uids, ["BODY.PEEK[]"])  # PEEK: the flags stay as they are
    batch: list[Received] = []
    stored: list[int] = []
    failure: Exception | None = None
    try:
        for uid in uids:
            raw = bodies.get(uid, {}).get(b"BODY[]")
            if raw is not None:
                inbound, new = mail_receive(
                    raw=bytes(raw),
                    source=InboundMessage.Source.IMAP,
                    recipient=mailbox.address,
                    mailbox=mailbox,
                )
                batch.append(Received(mailbox, inbound, new))
                stored.append(uid)
    except Exception as error:  # the one that failed stays as it was, for the next poll
        failure = error
    try:
        # Stored and committed, each of them: only now may the server forget them.
        if stored:
            _mark_taken(mailbox, client, stored)
    finally:
        if batch:  # stored, whatever became of the mark: they are Parvis's now
            handle(batch)
    if failure is not None:
        raise failure
    logger.info("%s: %d message(s) taken", mailbox.address, len(stored))
    return len(stored)


def _mark_taken(mailbox: Mailbox, client: IMAPClient, uids: list[int]) -> None:
    # Read, wherever it ends up: whoever opens the done folder sees nothing new there.
    client.add_flags(uids, [SEEN], silent=True)
    done = mailbox.imap_done_folder.strip()
    if not done:
        return
    if client.has_capability("MOVE"):
        client.move(uids, done)
    else:  # RFC 6851's MOVE is recent: copy, flag deleted, expunge
        client.copy(uids, done)
        client.add_flags(uids, [DELETED], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:  # without UIDPLUS, EXPUNGE removes every deleted message of the folder
            client.expunge()
