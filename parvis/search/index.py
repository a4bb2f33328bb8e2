"""An in-memory inverted index of a few thousand documents, and its ranked French search.

Built once per process from analysed documents (``analysis.terms``), kept under a cache
version (docs/decisions/0022-search.md) and never changed: a new version builds a new one.
Every backend therefore ranks the same way.

Ranking, in short: each query term adds ``weight × idf × field weight`` to the documents
holding it, where the field weight is highest for search words, then the title, then the
body (BM25-saturated, length-normalised); documents matching more of what was typed come
first. What the citizen typed weighs 1; a correction of a typo, a word completed from its
beginning, and the words of a synonym weigh less.
"""

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from parvis.core.text import normalize
from parvis.search.analysis import stem, terms
from parvis.search.vocabulary import synonyms

if TYPE_CHECKING:  # NumPy is imported where an index is built or searched, not at start-up
    import numpy as np

KEYWORDS_WEIGHT = 4.0  # search words chosen for the document: what citizens type
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
TYPO_WEIGHT = 0.8  # a term one or two letters away from one typed
PREFIX_WEIGHT = 0.6  # a term that begins with what was typed ("renouv", as you type)
SYNONYM_WEIGHT = 0.7  # shared between the words a synonym means
_BM25_K1 = 1.2
_BM25_B = 0.75


@dataclass(frozen=True, slots=True)
class Hit:
    """One document found: its object's id and its score (higher is better)."""

    object_id: int
    score: float


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """A document's terms per field, as ``analysis.terms`` gives them."""

    object_id: int
    title: tuple[str, ...]
    keywords: tuple[str, ...]
    body: tuple[str, ...]
    audience: str = "public"
    service_id: int | None = None


def analyse(
    *,
    object_id: int,
    title: str,
    body: str,
    keywords: str = "",
    audience: str = "public",
    service_id: int | None = None,
) -> AnalysedDocument:
    return AnalysedDocument(
        object_id=object_id,
        title=tuple(terms(title)),
        keywords=tuple(terms(keywords)),
        body=tuple(terms(body)),
        audience=audience,
        service_id=service_id,
    )


@dataclass(frozen=True, slots=True)
class Index:
    """Documents and, for every term, the documents holding it with its field weight."""

    documents: tuple[AnalysedDocument, ...]
    # term → (positions of the documents holding it, its field weight in each), read-only
    # numpy arrays: a query adds whole arrays rather than looping in Python.
    postings: "Mapping[str, tuple[np.ndarray, np.ndarray]]"
    visible: "Mapping[str, np.ndarray]"  # audience → which documents it may see
    idf: Mapping[str, float]
    by_initial: Mapping[str, tuple[str, ...]]  # terms by first letter, for typos
    sorted_terms: tuple[str, ...]  # for completions

    def search(
        self, text: str, *, limit: int = 10, audiences: Sequence[str] = ("public",)
    ) -> list[Hit]:
        """The documents best matching ``text``, best first; any word may match."""
        return self._ranked(self._query(text, complete_last=False), limit, audiences)

    def suggest(
        self, text: str, *, limit: int = 5, audiences: Sequence[str] = ("public",)
    ) -> list[Hit]:
        """As ``search``, the last word being completed: what a citizen is typing."""
        return self._ranked(self._query(text, complete_last=True), limit, audiences)

    def _ranked(
        self, query: Mapping[str, tuple[float, int]], limit: int, audiences: Sequence[str]
    ) -> list[Hit]:
        import numpy as np

        size = len(self.documents)
        if not size or not query:
            return []
        scores = np.zeros(size)
        by_group: dict[int, np.ndarray] = {}
        for term, (weight, group) in query.items():
            found = self.postings.get(term)
            if found is None:
                continue
            positions, field_weights = found
            scores[positions] += weight * self.idf[term] * field_weights
            if group >= 0:
                seen = by_group.setdefault(group, np.zeros(size, dtype=bool))
                seen[positions] = True
        typed = {group for _weight, group in query.values() if group >= 0}
        if typed:
            # Documents matching more of the typed words first: "nid de poule rue des
            # Écoles" is about the pothole more than about the school.
            covered = np.zeros(size)
            for seen in by_group.values():
                covered += seen
            scores *= 0.5 + covered / len(typed)
        else:
            scores *= 1.5
        allowed = np.zeros(size, dtype=bool)
        for audience in audiences:
            if audience in self.visible:
                allowed |= self.visible[audience]
        scores[~allowed] = 0.0
        candidates = np.flatnonzero(scores > 0)
        best = candidates[np.argsort(-scores[candidates], kind="stable")][:limit]
        return [
            Hit(object_id=self.documents[position].object_id, score=float(scores[position]))
            for position in best
        ]

    def _query(self, text: str, *, complete_last: bool) -> dict[str, tuple[float, int]]:
        """Term → (weight, group): a group is a typed word (≥ 0) or a synonym (< 0)."""
        typed = terms(text)
        last_word = normalize(text).split()[-1:] if complete_last else []
        if last_word and typed and typed[-1] == stem(last_word[0]):
            typed = typed[:-1]  # the last word is being typed: completed below
        else:
            last_word = [] if not (last_word and len(last_word[0]) > 1) else last_word
        query: dict[str, tuple[float, int]] = {}

        def add(term: str, weight: float, group: int) -> None:
            if term not in query or query[term][0] < weight:
                query[term] = (weight, group)

        understood: list[str] = []  # the typed terms, typos corrected, for synonyms
        for group, term in enumerate(dict.fromkeys(typed)):
            if term in self.postings:
                add(term, 1.0, group)
                understood.append(term)
                continue
            corrections = self._corrections(term)
            for correction, distance in corrections:
                add(correction, TYPO_WEIGHT**distance, group)
            understood.append(corrections[0][0] if corrections else term)
            for completion in self._completions(term, limit=3):
                add(completion, PREFIX_WEIGHT, group)
        if last_word:
            group = len(typed)
            word = last_word[0]
            for completion in self._completions(word, limit=8) or self._completions(
                stem(word), limit=8
            ):
                add(completion, PREFIX_WEIGHT if completion != stem(word) else 1.0, group)
            understood.append(stem(word))
        for number in _synonyms_found(understood):
            synonym = synonyms()[number]
            weight = SYNONYM_WEIGHT / math.sqrt(len(synonym.means))
            for term in synonym.means:
                add(term, weight, -1 - number)
        return query

    def _completions(self, prefix: str, *, limit: int) -> list[str]:
        if len(prefix) < 3:
            return []
        start = bisect_left(self.sorted_terms, prefix)
        found: list[str] = []
        for term in self.sorted_terms[start:]:
            if not term.startswith(prefix) or len(found) >= limit * 4:
                break
            found.append(term)
        # The most frequent first: "ren" is more likely "renouvel" than "rencontr".
        found.sort(key=lambda term: -len(self.postings[term][0]))
        return found[:limit]

    def _frequency(self, term: str) -> int:
        found = self.postings.get(term)
        return 0 if found is None else len(found[0])

    def _corrections(self, term: str) -> list[tuple[str, int]]:
        """Known terms one letter away (two for long words), nearest and most frequent first."""
        if len(term) < 4 or term.isdigit():
            return []
        allowed = 1 if len(term) < 7 else 2
        found: list[tuple[str, int]] = []
        for candidate in self.by_initial.get(term[0], ()):
            if abs(len(candidate) - len(term)) > allowed:
                continue
            distance = _distance(term, candidate, allowed)
            if distance <= allowed:
                found.append((candidate, distance))
        found.sort(key=lambda pair: (pair[1], -self._frequency(pair[0])))
        return found[:3]


def build_index(documents: Iterable[AnalysedDocument]) -> Index:
    """The index of these documents (immutable: it is shared by every thread)."""
    import numpy as np

    kept = tuple(documents)
    body_lengths = [len(document.body) for document in kept]
    average = (sum(body_lengths) / len(kept)) if kept else 1.0
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, document in enumerate(kept):
        weights: dict[str, float] = defaultdict(float)
        for term, count in Counter(document.keywords).items():
            weights[term] += KEYWORDS_WEIGHT * _saturated(count, 1.0)
        for term, count in Counter(document.title).items():
            weights[term] += TITLE_WEIGHT * _saturated(count, 1.0)
        norm = (1 - _BM25_B) + _BM25_B * len(document.body) / (average or 1.0)
        for term, count in Counter(document.body).items():
            weights[term] += BODY_WEIGHT * _saturated(count, norm)
        for term, weight in weights.items():
            postings[term].append((position, weight))
    total = len(kept)
    idf = {
        term: math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
        for term, found in postings.items()
    }
    by_initial: dict[str, list[str]] = defaultdict(list)
    for term in postings:
        by_initial[term[0]].append(term)
    for synonym in synonyms():  # typed words a synonym knows are words too ("pasport")
        for phrase in synonym.phrases:
            for term in phrase:
                if term not in postings and term not in by_initial[term[0]]:
                    by_initial[term[0]].append(term)
    return Index(
        documents=kept,
        postings=MappingProxyType({term: _arrays(found) for term, found in postings.items()}),
        visible=MappingProxyType(
            {
                audience: _read_only(np.array([d.audience == audience for d in kept], dtype=bool))
                for audience in {document.audience for document in kept}
            }
        ),
        idf=MappingProxyType(idf),
        by_initial=MappingProxyType({letter: tuple(found) for letter, found in by_initial.items()}),
        sorted_terms=tuple(sorted(postings)),
    )


def _arrays(found: list[tuple[int, float]]) -> "tuple[np.ndarray, np.ndarray]":
    import numpy as np

    positions = np.array([position for position, _weight in found], dtype=np.int32)
    weights = np.array([weight for _position, weight in found], dtype=np.float64)
    return _read_only(positions), _read_only(weights)


def _read_only(array: "np.ndarray") -> "np.ndarray":
    array.flags.writeable = False  # shared by every thread of the process
    return array


def _saturated(count: int, norm: float) -> float:
    return count * (_BM25_K1 + 1) / (count + _BM25_K1 * norm)


def _synonyms_found(sequence: Sequence[str]) -> list[int]:
    """The numbers of the synonyms one of whose phrases is in ``sequence``, in order."""
    phrases = _phrases_by_first_term()
    found: set[int] = set()
    for start, term in enumerate(sequence):
        for phrase, number in phrases.get(term, ()):
            if tuple(sequence[start : start + len(phrase)]) == phrase:
                found.add(number)
    return sorted(found)


@cache
def _phrases_by_first_term() -> Mapping[str, tuple[tuple[tuple[str, ...], int], ...]]:
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    for number, synonym in enumerate(synonyms()):
        for phrase in synonym.phrases:
            by_first[phrase[0]].append((phrase, number))
    return MappingProxyType({term: tuple(found) for term, found in by_first.items()})


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters counts one), capped at limit+1."""
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
