"""The triage figures of ``make bench``: measured, not assumed."""

from parvis.bench.triage import measure


def test_the_triage_phase_times_prediction_and_retraining() -> None:
    figures = measure(history_size=3000)
    assert figures["triage_train_history_size"] == 3000
    assert 0 < figures["triage_predict_ms_p50"] <= figures["triage_predict_ms_p95"]
    assert figures["triage_train_100k_seconds"] > 0 and figures["triage_train_corpus_seconds"] > 0
