"""Text messages (SMS) to citizens, through a provider's backend named by a setting.

``PARVIS_SMS_BACKEND`` is the dotted path of a class whose instances have
``send(to: str, text: str) -> None`` and raise on failure (the message is then tried again
later, ``sending``). A commune plugs its provider in by writing such a class (a few lines
around the provider's HTTP API) and naming it; none is configured by default, and then the
portal offers no SMS. Two backends come with Parvis: ``ConsoleBackend`` prints each message
(trying it out), ``MemoryBackend`` keeps them in ``MemoryBackend.outbox`` (tests).
"""

import functools
import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

MAX_LENGTH = 459  # three concatenated SMS of 153 characters: the rest is on the tracking page


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


def sms_available() -> bool:
    """Whether SMS can be sent at all (a backend is configured)."""
    return bool(settings.PARVIS_SMS_BACKEND)


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
