"""A real IMAP server for the tests: Dovecot on loopback, in a folder of its own.

It speaks IMAP on ``port`` (STARTTLS offered) and implicit TLS on ``tls_port``, with a
self-signed certificate made at start (``openssl``, a dependency of Dovecot's package). Any
user name logs in with ``PASSWORD`` (a static passdb: nothing to read for the auth
process), and gets an empty Maildir the first time. As root, Dovecot's login processes must
run as another user: the Debian package's ``dovenull`` and ``dovecot``, the mail as
``nobody``; the folder is then made readable to them. As another user, everything runs as
that user. Debian's ``dovecot-imapd`` provides ``/usr/sbin/dovecot`` (``.ci/run`` installs
it).
"""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = Path(os.environ.get("PARVIS_DOVECOT", "/usr/sbin/dovecot"))
PASSWORD = "motdepasse-imap-test"  # noqa: S105 - test-only password
START_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """One Dovecot, started by ``start()`` and stopped by ``stop()``."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="parvis-dovecot-"))
        self.port = free_port()
        self.tls_port = free_port()  # implicit TLS (imaps); STARTTLS is offered on ``port``
        self.certificate = self.root / "cert.pem"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        as_root = os.geteuid() == 0
        mail = self.root / "mail"
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir()
        if as_root:
            nobody = pwd.getpwnam("nobody")
            self.root.chmod(0o755)  # the unprivileged processes reach their sockets and mail
            os.chown(mail, nobody.pw_uid, nobody.pw_gid)
            login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
            mail_uid, mail_gid = nobody.pw_uid, nobody.pw_gid
        else:
            me = pwd.getpwuid(os.geteuid())
            login_user = internal_user = me.pw_name
            internal_group = grp.getgrgid(me.pw_gid).gr_name
            mail_uid, mail_gid = me.pw_uid, me.pw_gid
        # A self-signed certificate for 127.0.0.1: clients trust it by ``certificate`` only.
        subprocess.run(  # noqa: S603 - fixed command
            [
                shutil.which("openssl") or "/usr/bin/openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(self.root / "key.pem"),
                "-out",
                str(self.certificate),
            ],
            check=True,
            capture_output=True,
        )
        conf = self.root / "dovecot.conf"
        conf.write_text(
            _CONF.format(
                root=self.root,
                port=self.port,
                tls_port=self.tls_port,
                login_user=login_user,
                internal_user=internal_user,
                internal_group=internal_group,
                mail_uid=mail_uid,
                mail_gid=mail_gid,
                password=PASSWORD,
                # Only root may chroot: as another user, no service does.
                chroot="" if as_root else "chroot =",
                anvil="" if as_root else "service anvil {\n  chroot =\n}\n",
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(  # noqa: S603 - fixed command, our own config
            [str(DOVECOT), "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kick(self, user: str) -> None:
        """Close the user's connections from the server's side (``BYE``), as a restart does."""
        subprocess.run(  # noqa: S603 - fixed command, our own config
            [
                str(DOVECOT.parent.parent / "bin" / "doveadm"),
                "-c",
                str(self.root / "dovecot.conf"),
                "kick",
                user,
            ],
            check=True,
            capture_output=True,
        )

    def client(self, user: str, folder: str = "INBOX") -> IMAPClient:
        """A client of the user's mailbox, logged in, the folder selected (created if need be)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        if not client.folder_exists(folder):
            client.create_folder(folder)
        client.select_folder(folder)
        return client

    def append(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        with self.client(user, folder) as client:
            for raw in messages:
                client.append(folder, raw)

    def flags(self, user: str, folder: str = "INBOX") -> list[tuple[bytes, ...]]:
        """The flags of every message of the folder, in UID order."""
        with self.client(user, folder) as client:
            found = client.get_flags(client.search(["ALL"]))
            return [tuple(found[uid]) for uid in sorted(found)]


_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
mail_location = maildir:{root}/mail/%u
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
{anvil}service imap-login {{
  {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"""
