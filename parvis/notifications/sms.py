"""Text messages (SMS) to citizens, through a provider's backend named by a setting.

``PARVIS_SMS_BACKEND`` is the dotted path of a class whose instances have
``send(to: str, text: str) -> None`` and raise on failure (the message is then tried again
later, ``sending``). A commune plugs its provider in by writing such a class (a few lines
around the provider's HTTP API) and naming it; none is configured by default, and then the
portal offers no SMS. Two backends come with Parvis: ``ConsoleBackend`` prints each message
(trying it out), ``MemoryBackend`` keeps them in ``MemoryBackend.outbox`` (tests).

A text is written in the GSM alphabet when it can be (``sms_body``): one character that is
not in it (« ê », « ç », « ’ ») makes the whole message go as UCS-2, 70 characters a segment
instead of 160, so the French letters and signs it lacks become their nearest GSM ones.
"""

import functools
import re
import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from parvis.core.text import PLAIN_SIGNS, unaccent
from parvis.tickets.models import NotifyBy, Ticket

MAX_LENGTH = 459  # three concatenated SMS of 153 characters: the rest is on the tracking page

# The GSM 03.38 alphabet (its extension table aside, whose signs count double).
GSM_ALPHABET = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"  # i18n: ignore
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"  # i18n: ignore
)
_GUILLEMETS = re.compile(r"«\s*|\s*»")  # i18n: ignore — « ceci » → "ceci"


def _gsm(char: str) -> str:
    """The character, or its nearest spelling in GSM letters (ê → e, œ → oe) if it has one."""
    if char in GSM_ALPHABET:
        return char
    plain = PLAIN_SIGNS.get(char) or unaccent(char)
    return plain if GSM_ALPHABET.issuperset(plain) else char


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


def sms_available() -> bool:
    """Whether SMS can be sent at all (a backend is configured)."""
    return bool(settings.PARVIS_SMS_BACKEND)


def sms_wanted(ticket: Ticket) -> bool:
    """Whether the ticket's citizen is told by SMS: they chose it, gave a number, and SMS
    can be sent. No query: a subscriber's ``wants`` may ask it."""
    return ticket.notify_by == NotifyBy.SMS and bool(ticket.requester_phone) and sms_available()


def sms_body(text: str) -> str:
    """A rendered template as it is sent: on one line, in GSM letters, at most MAX_LENGTH."""
    one_line = _GUILLEMETS.sub('"', " ".join(text.split()))
    return "".join(_gsm(char) for char in one_line)[:MAX_LENGTH]


@functools.cache
def _backend_class(path: str) -> type[SmsBackend]:
    backend: type[SmsBackend] = import_string(path)
    return backend


def sms_backend() -> SmsBackend:
    """A new instance of the configured backend (the class is imported once per process)."""
    return _backend_class(settings.PARVIS_SMS_BACKEND)()


class ConsoleBackend:
    """Prints each message on the standard output."""

    def send(self, to: str, text: str) -> None:
        sys.stdout.write(_("SMS à %(to)s :") % {"to": to} + f"\n{text}\n\n")
        sys.stdout.flush()


class MemoryBackend:
    """Keeps each message in ``outbox`` as ``(to, text)`` (tests)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, to: str, text: str) -> None:
        MemoryBackend.outbox.append((to, text))
