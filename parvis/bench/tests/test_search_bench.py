"""The search figures of ``make bench``, measured on a small seeded history.

PostgreSQL only, as the bench (its tickets are written with COPY).
"""

import pytest
from django.db import connection

from parvis.bench import fixtures
from parvis.bench.search import measure_here

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bench seeds PostgreSQL with COPY"
)


def test_the_search_phase_times_both_searches_on_a_seeded_history(catalog: None) -> None:
    fixtures.bench_agent_ensure("mot-de-passe-de-mesure")
    fixtures.seed(ticket_count=300, requester_count=100, rng_seed=3)
    figures = measure_here(queries=40, documents=60)
    assert figures["ticket_search_queries"] == 40
    assert 0 < figures["ticket_search_ms_p50"] <= figures["ticket_search_ms_p95"]
    # Texts are picked from the seeded tickets: most of them find their ticket.
    assert figures["ticket_search_empty_pages"] < 40 // 4
    by_kind = figures["ticket_search_by_kind"]
    assert {"subject", "surname", "reference"} <= set(by_kind)
    assert sum(kind["queries"] for kind in by_kind.values()) == 40
    assert figures["document_search_documents"] == 60
    assert 0 < figures["document_search_ms_p50"] <= figures["document_search_ms_p95"]
    assert figures["document_search_empty_results"] < 40 // 4
    assert set(figures["targets_met"]) == {"ticket_search_p95_ms", "document_search_p95_ms"}
