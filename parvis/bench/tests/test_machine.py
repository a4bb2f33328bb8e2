"""CPU accounting: per request of each group, and what the rest of the machine used."""

import sysconfig

import pytest

from parvis.bench import machine
from parvis.bench.machine import CpuSample, usage


def test_a_subset_group_is_reported_but_not_counted_twice() -> None:
    before = CpuSample(
        busy=10.0, total=20.0, groups={"server": {1: 1.0}, "db": {2: 1.0, 3: 1.0}, "mine": {2: 1.0}}
    )
    after = CpuSample(
        busy=16.0, total=28.0, groups={"server": {1: 3.0}, "db": {2: 2.0, 3: 2.0}, "mine": {2: 2.0}}
    )
    result = usage(before, after, 100, 0.5, subsets=frozenset({"mine"}))
    assert result["server_cpu_ms_per_request"] == 20.0
    assert result["db_cpu_ms_per_request"] == 20.0
    assert result["mine_cpu_ms_per_request"] == 10.0
    # 6 s busy: 2 server, 2 database, 0.5 client; the subset's 1 s is inside the database's.
    assert result["other_processes_cpu_percent"] == 18.8
    assert result["machine_busy_percent"] == 75.0


def test_a_process_started_meanwhile_is_counted_whole() -> None:
    before = CpuSample(busy=0.0, total=10.0, groups={"server": {1: 1.0}})
    after = CpuSample(busy=4.0, total=20.0, groups={"server": {1: 2.0, 9: 0.5}})
    assert usage(before, after, 10, 0.0)["server_cpu_ms_per_request"] == 150.0


def test_the_interpreter_flags_that_change_its_speed_are_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flags = "'--prefix=/opt/p' '--enable-optimizations' '--with-lto' 'CFLAGS=-O2'"
    monkeypatch.setattr(sysconfig, "get_config_var", lambda name: flags)
    assert machine.python_configure() == "--enable-optimizations --with-lto"
    monkeypatch.setattr(sysconfig, "get_config_var", lambda name: "'--enable-shared'")
    assert machine.python_configure() == "--enable-shared"
    assert "python_configure" in machine.context()


def test_a_figure_read_on_a_default_build_says_so() -> None:
    assert machine.interpreter_warning("--enable-optimizations --with-lto") is None
    warning = machine.interpreter_warning("--enable-shared")
    assert warning is not None
    assert "ADR 0032" in warning
