"""`parvis run`: web server and background worker from one command, as `make run` starts them."""

import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


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


def test_it_serves_the_portal_and_its_worker_sends_the_acknowledgement(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARVIS_")}
    env |= {"PARVIS_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    manage = [sys.executable, "-m", "parvis.manage"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load-catalog"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "run", "--port", str(port), "--workers", "1"], env=env, stdout=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form_url = base + "/demarches/question-generale/"
        assert "Question" in opener.open(form_url).read().decode()
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": "Jeanne Essai",
                "email": "jeanne@essai.example",
                "subject": "Horaires d'été",
                "description": "Quels sont vos horaires en août ?",
                "consent": "on",
            }
        ).encode()
        request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})
        page = opener.open(request).read().decode()
        assert "Numéro de suivi" in page
        deadline = time.monotonic() + 30
        while not _outbox_subjects(tmp_path / "parvis.sqlite3") and time.monotonic() < deadline:
            time.sleep(0.5)
        subjects = _outbox_subjects(tmp_path / "parvis.sqlite3")
        assert len(subjects) == 1 and "a bien été reçue" in subjects[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stopping `parvis run` stops its web server and worker: nothing answers any more.
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/", timeout=2)
