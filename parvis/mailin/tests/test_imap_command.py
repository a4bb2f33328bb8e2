"""``parvis mail poll`` as ``parvis run`` starts it: a process of its own, stopped by SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue

from parvis.testing.dovecot import PASSWORD, Dovecot

MANAGE = [sys.executable, "-m", "parvis.manage"]
MESSAGE = (
    b"From: Camille Martin <camille@example.fr>\r\nTo: {address}\r\n"
    b"Subject: =?utf-8?q?Lampadaire_=C3=A9teint?=\r\nMessage-ID: <{user}@example.fr>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nRue des Lilas, depuis lundi.\r\n"
)


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARVIS_")}
    env |= {"PARVIS_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "PARVIS_IMAP_TEST": PASSWORD}
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*MANAGE, "load-catalog"], env=env, check=True, capture_output=True)
    return env


def test_the_poller_takes_a_mail_as_it_arrives_and_stops_on_sigterm(
    dovecot: Dovecot, imap_user: str, tmp_path: Path
) -> None:
    env = _environment(tmp_path)
    address = f"{imap_user}@ma-commune.fr"
    create = (
        "from parvis.mailin.models import Mailbox; Mailbox.objects.create("
        f"address={address!r}, imap_host={dovecot.host!r}, imap_port={dovecot.port}, "
        f"imap_security='none', imap_user={imap_user!r}, "
        "imap_password_variable='PARVIS_IMAP_TEST')"
    )
    subprocess.run([*MANAGE, "shell", "-c", create], env=env, check=True)
    poller = subprocess.Popen(
        [*MANAGE, "mail", "poll", "--process"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: Queue[bytes] = Queue()
    assert poller.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in poller.stdout])  # type: ignore[union-attr]
    reader.start()
    try:
        raw = MESSAGE.replace(b"{address}", address.encode()).replace(b"{user}", imap_user.encode())
        dovecot.append(imap_user, raw)
        try:
            line = json.loads(lines.get(timeout=30))
        except Empty:
            poller.terminate()
            raise AssertionError(poller.stderr.read().decode()) from None  # type: ignore[union-attr]
        assert line["mailbox"] == address
        assert line["outcome"] == "created"
        assert line["reference"]
        poller.send_signal(signal.SIGTERM)
        assert poller.wait(timeout=15) == 0
    finally:
        if poller.poll() is None:
            poller.kill()
        reader.join(timeout=5)
    assert all(b"\\Seen" in flags for flags in dovecot.flags(imap_user))
