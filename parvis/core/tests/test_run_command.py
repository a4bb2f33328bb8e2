"""`parvis run`: web server and background worker from one command, as `make run` starts them."""

import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

MANAGE = [sys.executable, "-m", "parvis.manage"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def _outbox_subjects(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT subject FROM notifications_mail").fetchall()
    return [row[0] for row in rows]


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARVIS_")}
    env |= {"PARVIS_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*MANAGE, "load-catalog"], env=env, check=True, capture_output=True)
    return env


def _submit(base: str, email: str) -> None:
    """File a general question through the portal's form, as a citizen's browser does."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form_url = base + "/demarches/question-generale/"
    assert "Question" in opener.open(form_url).read().decode()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": "Jeanne Essai",
            "email": email,
            "subject": "Horaires d'été",
            "description": "Quels sont vos horaires en août ?",
            "consent": "on",
        }
    ).encode()
    request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})
    page = opener.open(request).read().decode()
    assert "Numéro de suivi" in page


def _wait_for_mails(database: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while len(_outbox_subjects(database)) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    return _outbox_subjects(database)


def test_it_serves_the_portal_and_its_worker_sends_the_acknowledgement(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [*MANAGE, "run", "--port", str(port), "--workers", "1"], env=env, stdout=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/")
        _submit(base, "jeanne@essai.example")
        subjects = _wait_for_mails(tmp_path / "parvis.sqlite3", 1)
        assert len(subjects) == 1 and "enregistrée" in subjects[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stopping `parvis run` stops its web server and worker: nothing answers any more.
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/", timeout=2)


def _children(pid: int) -> dict[str, int]:
    """The children of `parvis run`, by what they run: the web server's and the worker's pid."""
    found: dict[str, int] = {}
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        command = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace")
        if "gunicorn" in command:
            found["web"] = int(child)
        elif "run_huey" in command:
            found["worker"] = int(child)
    return found


def _wait_for_new_child(pid: int, name: str, old: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = _children(pid).get(name)
        if new is not None and new != old:
            return new
        time.sleep(0.2)
    raise AssertionError(f"no new {name} within {timeout}s")


class _Prober(threading.Thread):
    """Asks for the home page every 50 ms and counts the answers and the failures."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.answers, self.failures = url, 0, 0
        self.running = True

    def run(self) -> None:
        while self.running:
            try:
                urllib.request.urlopen(self.url, timeout=5).read()
                self.answers += 1
            except OSError:
                self.failures += 1
            time.sleep(0.05)


def test_a_killed_worker_is_restarted_and_the_site_keeps_answering(tmp_path: Path) -> None:
    # Issue 7, point 12: kill -9 of the worker stopped the whole site (847 connection errors).
    env = _environment(tmp_path)
    port, log = _free_port(), (tmp_path / "run.log").open("w+")
    server = subprocess.Popen(
        [*MANAGE, "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/")
        first = _children(server.pid)
        prober = _Prober(base + "/")
        prober.start()
        time.sleep(1)
        os.kill(first["worker"], signal.SIGKILL)
        worker = _wait_for_new_child(server.pid, "worker", first["worker"])
        time.sleep(2)
        prober.running = False
        prober.join()
        assert prober.failures == 0 and prober.answers > 20, (prober.answers, prober.failures)
        assert server.poll() is None
        # The new worker does the work: the acknowledgement of a request filed now is written.
        _submit(base, "apres@essai.example")
        assert len(_wait_for_mails(tmp_path / "parvis.sqlite3", 1)) == 1
        assert _children(server.pid)["web"] == first["web"], "the web server was left alone"

        os.kill(first["web"], signal.SIGKILL)
        _wait_for_new_child(server.pid, "web", first["web"])
        _wait_for(base + "/", timeout=30)
        assert _children(server.pid)["worker"] == worker
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    logged = log.read()
    assert f"worker (pid {first['worker']}) died with signal SIGKILL" in logged
    assert f"web server (pid {first['web']}) died with signal SIGKILL" in logged
    assert "worker restarted" in logged and "web server restarted" in logged
