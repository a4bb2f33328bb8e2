"""The IMAP server of the ``mail poll`` tests: one Dovecot for the session, one user per test."""

import itertools
import os
from collections.abc import Iterator

import pytest

from parvis.testing.dovecot import DOVECOT, Dovecot

_users = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not DOVECOT.exists():
        reason = f"{DOVECOT} is missing: install Debian's dovecot-imapd to run the IMAP tests"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it (.ci/run): never skip there
        pytest.skip(reason)
    server = Dovecot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap_user(dovecot: Dovecot) -> str:
    """A user whose mailbox is empty: every test writes into mailboxes of its own."""
    return f"mairie{next(_users)}"
