"""The portal's démarche search answers citizens' own words: data/relevance.yaml, on both
databases, with a floor per part (the held-out part is never looked at while tuning)."""

from pathlib import Path

import pytest
import yaml

from parvis.catalog.selectors import search_request_types

RELEVANCE_FILE = Path(__file__).parent / "data" / "relevance.yaml"
# The share of wordings whose démarche is in the first three results, at least.
FLOORS = {"tuning": 0.95, "held_out": 0.85}


def _cases(part: str) -> list[tuple[str, list[str]]]:
    with RELEVANCE_FILE.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return [(case["query"], case["expected"]) for case in document[part]]


def top_three_share(part: str) -> tuple[float, list[str]]:
    """The share of ``part``'s wordings answered in the first three, and those missed."""
    cases = _cases(part)
    missed = []
    for query, expected in cases:
        found = [t.slug for t in search_request_types(query, limit=3)]
        if not set(found) & set(expected):
            missed.append(f"{query!r}: {found} (expected {expected})")
    return 1 - len(missed) / len(cases), missed


def test_the_relevance_set_is_large_enough_and_names_real_demarches(catalog):
    from parvis.catalog.models import RequestType

    slugs = set(RequestType.objects.values_list("slug", flat=True))
    cases = _cases("tuning") + _cases("held_out")
    assert len(cases) >= 60
    assert {slug for _query, expected in cases for slug in expected} <= slugs


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_citizens_find_their_demarche_in_the_first_three(catalog, part):
    share, missed = top_three_share(part)
    assert share >= FLOORS[part], f"{share:.0%} in the top 3; missed:\n" + "\n".join(missed)
