"""The bench's arithmetic: a creation phase's rates and lag, its configurations and targets."""

from parvis.bench.__main__ import _configs, _targets
from parvis.bench.server import GunicornConfig
from parvis.bench.worker import OutboxState, WorkerConfig, drain_summary


def _state(**counts: int) -> OutboxState:
    values = dict(
        tickets=100,
        deliveries=100,
        pending=0,
        failed=0,
        retried=0,
        batches=10,
        acknowledgements_missing=0,
    )
    return OutboxState(**(values | counts))


def test_the_rate_counts_until_the_work_is_drained() -> None:
    summary = drain_summary(
        started=10.0, last_response=14.0, drained_at=15.0, created=1000, state=_state()
    )
    assert summary["per_second"] == 200.0  # 1000 tickets in the 5 s of the whole work
    assert summary["requests_per_second"] == 250.0  # the 4 s of the requests
    assert summary["drain_lag_ms"] == 1000.0
    assert summary["outbox"]["deliveries_pending"] == 0


def test_work_never_drained_has_no_rate() -> None:
    summary = drain_summary(
        started=0.0, last_response=4.0, drained_at=None, created=10, state=_state(pending=3)
    )
    assert summary["per_second"] is None
    assert summary["drain_lag_ms"] is None
    assert summary["requests_per_second"] == 2.5


def test_drained_means_nothing_pending_and_every_acknowledgement_written() -> None:
    assert _state().drained
    assert not _state(pending=1).drained
    assert not _state(acknowledgements_missing=1).drained


def test_configurations_name_gunicorn_and_optionally_the_worker() -> None:
    assert _configs("2x4, 3x1+1", 2) == [
        (GunicornConfig(2, 4), WorkerConfig(2)),
        (GunicornConfig(3, 1), WorkerConfig(1)),
    ]
    assert _configs("", 2) == []


def test_targets_include_the_portal_and_the_work_left_undone() -> None:
    headline = {
        "api_tickets_per_second": 310.0,
        "portal_tickets_per_second": 240.0,
        "queue_page_p95_ms": 50.0,
        "ticket_page_p95_ms": None,
        "deliveries_pending_at_end": 0,
        "deliveries_failed": 2,
        "acknowledgements_missing": 0,
    }
    targets = _targets(headline)
    assert targets["api_tickets_per_second"]["met"] is True
    assert targets["portal_tickets_per_second"]["met"] is False
    assert targets["queue_page_p95_ms"]["met"] is True
    assert targets["ticket_page_p95_ms"]["met"] is None
    assert targets["deliveries_pending_at_end"]["met"] is True
    assert targets["deliveries_failed"]["met"] is False
