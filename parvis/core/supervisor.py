"""The children of `parvis run` kept alive: a dead one is started again, after a pause.

`parvis run` starts the web server (gunicorn) and the worker (Huey) as children. A child
that dies — killed by the kernel's OOM killer, by `kill -9`, by a crash — is started again,
and the others go on: a dead worker no longer takes the web site down with it. A child that
dies again soon after each start (a port already taken, a database that does not answer)
waits longer each time, 1 s doubling to a minute, so that it does not spin; one that ran for
a minute starts again at once. Each death and each restart is logged (logger
``parvis.run``, to the standard error, hence the journal under systemd).

Each child leads a process group of its own: when a gunicorn master dies, the workers it
leaves behind (which would hold the port a while) are killed with it; Ctrl-C or SIGTERM
reaches `parvis run`, which stops every child in order.
"""

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

logger = logging.getLogger("parvis.run")

FIRST_DELAY = 1.0  # seconds before restarting a child that died soon after its start
MAX_DELAY = 60.0
STABLE_AFTER = 60.0  # a child that ran this long is restarted at once, its count reset
POLL = 0.5
STOP_TIMEOUT = 15.0


@dataclass
class Child:
    """One supervised command: what it runs, and where it is in its life."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_deaths: int = 0  # deaths in a row, each within STABLE_AFTER of its start
    restart_at: float | None = None
    restarts: int = 0


class Supervisor:
    """Start the children, restart any that dies, stop them all on SIGTERM or Ctrl-C."""

    def __init__(self, children: Sequence[tuple[str, Sequence[str]]], env: Mapping[str, str]):
        self.children = [Child(name, argv) for name, argv in children]
        self.env = dict(env)

    def run(self) -> None:
        # A service manager stops us with SIGTERM: stop the children too, never orphan them.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            for child in self.children:
                self._start(child)
            while True:
                self.check()
                time.sleep(POLL)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def check(self) -> None:
        """Notice the children that died; start again those whose pause is over."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self._start(child)
                continue
            assert child.process is not None
            code = child.process.poll()
            if code is None:
                continue
            _kill_group(child.process)  # what the dead child left behind (gunicorn's workers)
            ran = now - child.started_at
            child.quick_deaths = child.quick_deaths + 1 if ran < STABLE_AFTER else 0
            delay = 0.0
            if child.quick_deaths:
                delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (child.quick_deaths - 1))
            child.restart_at = now + delay
            logger.warning(
                "%s (pid %s) died with %s after %.0f s; restarting it in %.0f s",
                child.name,
                child.process.pid,
                _describe(code),
                ran,
                delay,
            )

    def stop(self) -> None:
        """SIGTERM to every running child, then SIGKILL to any still there after a while."""
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in self.children:
            if child.process is not None:
                _kill_group(child.process)

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - fixed argument lists
            list(child.argv), env=self.env, start_new_session=True
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        if child.restarts:
            logger.warning("%s restarted (pid %s)", child.name, child.process.pid)
        else:
            logger.info("%s started (pid %s)", child.name, child.process.pid)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    # An empty group (nothing was left behind) is no error.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _describe(code: int) -> str:
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
