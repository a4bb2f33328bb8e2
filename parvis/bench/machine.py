"""The context of a measurement: machine, versions, commit, and CPU accounting from /proc."""

import datetime
import os
import platform
import shlex
import subprocess
import sysconfig
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def _git(*args: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - read-only git command
            ["git", *args],  # noqa: S607 - git from PATH, as a developer runs it
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent,
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def python_speed_us() -> float:
    """Microseconds for ``sum(range(1000))``, best of five: how fast one core runs Python.

    Machines of the same name differ (11 µs on one, 19 µs on another): compare runs with it.
    """
    return round(1e6 * min(timeit.repeat("sum(range(1000))", number=20_000, repeat=5)) / 20_000, 1)


def python_configure() -> str:
    """The interpreter's configure flags that change its speed: pyenv's default build has
    none of the first two and runs Parvis markedly slower (docs/deployment.md). A
    distribution's build can be optimised without saying so here (Debian's): compare
    ``python_speed_us`` too."""
    flags = shlex.split(sysconfig.get_config_var("CONFIG_ARGS") or "")
    kept = [f for f in flags if f in ("--enable-optimizations", "--with-lto", "--enable-shared")]
    return " ".join(kept)


def interpreter_warning(configure: str) -> str | None:
    """What to say of a figure read on a default build of Python (ADR 0032), else None."""
    if "--enable-optimizations" in configure:
        return None
    return (
        "the interpreter was built without --enable-optimizations (pyenv's default): unless it "
        "is a distribution's, Parvis runs about a fifth slower than on an optimised build "
        "(scripts/build-python.sh, ADR 0032)"
    )


def context() -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "--short=12", "HEAD") or "?",
        "git_uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "cores": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "python_configure": python_configure(),
        "python_speed_us": python_speed_us(),
        "django": _version("django"),
        "gunicorn_version": _version("gunicorn"),
    }


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds so far: the whole machine (busy, total) and each process of each group."""

    busy: float
    total: float
    groups: dict[str, dict[int, float]]


def _system_times() -> tuple[float, float]:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / _CLOCK_TICKS, total / _CLOCK_TICKS


def _process_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    # utime + stime, plus the children that ended (PostgreSQL's parallel query workers live
    # for one query: their time lands in the postmaster's cutime + cstime).
    return sum(int(value) for value in fields[11:15]) / _CLOCK_TICKS


def postgres_pids() -> list[int]:
    """PostgreSQL's processes, when the server runs on this machine (else none)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
        except (OSError, ValueError):
            continue
    return pids


def sample(groups: dict[str, Callable[[], list[int]]]) -> CpuSample:
    """Processes are found again at each sample: a backend started meanwhile is counted whole."""
    busy, total = _system_times()
    seconds: dict[str, dict[int, float]] = {}
    for name, find in groups.items():
        per_pid = {pid: _process_seconds(pid) for pid in find()}
        seconds[name] = {pid: value for pid, value in per_pid.items() if value is not None}
    return CpuSample(busy, total, seconds)


def usage(
    before: CpuSample,
    after: CpuSample,
    requests: int,
    client_seconds: float,
    *,
    subsets: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Machine busy share over the interval, CPU per request of each group of processes, and
    the share taken by everything else on the machine (other jobs disturb the measurement).

    ``subsets`` are groups whose processes another group already counts (reported, not
    added twice)."""
    total = after.total - before.total
    busy = after.busy - before.busy
    result: dict[str, Any] = {
        "machine_busy_percent": round(100 * busy / total, 1) if total else None
    }
    accounted = client_seconds
    for name, per_pid in after.groups.items():
        earlier = before.groups.get(name, {})
        spent = sum(value - earlier.get(pid, 0.0) for pid, value in per_pid.items())
        if name not in subsets:
            accounted += spent
        result[f"{name}_cpu_ms_per_request"] = (
            round(1000 * spent / requests, 2) if requests else None
        )
    others = max(busy - accounted, 0.0)
    result["other_processes_cpu_percent"] = round(100 * others / total, 1) if total else None
    return result


def background_busy_percent(seconds: float = 3.0) -> float:
    """How busy the machine is before the bench starts anything (other jobs running)."""
    busy_before, total_before = _system_times()
    time.sleep(seconds)
    busy_after, total_after = _system_times()
    total = total_after - total_before
    return round(100 * (busy_after - busy_before) / total, 1) if total else 0.0


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]
