"""The reviewed word lists that ship with Parvis: stop words, SMS spellings, synonyms.

They live in ``parvis/search/data/vocabulary.yaml`` (reviewed like code, see
docs/search.md): everyday words a citizen types ("poubelles", "nid de poule", "RSA") and
the words the démarches and articles use. Read once per process.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

from parvis.core.text import normalize

VOCABULARY_FILE = Path(__file__).parent / "data" / "vocabulary.yaml"


@dataclass(frozen=True, slots=True)
class Synonym:
    """Phrases a citizen may type (as stems) and the stems of the words they mean."""

    phrases: tuple[tuple[str, ...], ...]
    means: tuple[str, ...]


@cache
def _document() -> Mapping[str, object]:
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    assert isinstance(loaded, dict), f"{VOCABULARY_FILE}: a mapping expected"
    return MappingProxyType(loaded)


@cache
def stop_words() -> frozenset[str]:
    """Words that carry no meaning for a search ("le", "de", "je voudrais")."""
    listed = _document()["stop_words"]
    assert isinstance(listed, str)
    return frozenset(normalize(listed).split())


@cache
def sms_spellings() -> Mapping[str, tuple[str, ...]]:
    """SMS and spoken spellings → the words they stand for ("pr" → "pour", "jai" → "ai")."""
    listed = _document()["sms"]
    assert isinstance(listed, dict)
    return MappingProxyType(
        {
            normalize(str(short)): tuple(normalize(str(full)).split())
            for short, full in listed.items()
        }
    )


@cache
def synonyms() -> tuple[Synonym, ...]:
    """Everyday phrases and the words they mean, as stems (see ``analysis.terms``)."""
    from parvis.search.analysis import terms  # analysis reads this module's other lists

    listed = _document()["synonyms"]
    assert isinstance(listed, list)
    found = []
    for entry in listed:
        phrases = tuple(
            phrase_terms for phrase in entry["phrases"] if (phrase_terms := tuple(terms(phrase)))
        )
        means = tuple(dict.fromkeys(terms(entry["means"])))
        if phrases and means:
            found.append(Synonym(phrases=phrases, means=means))
    return tuple(found)
