"""Same person, same matter: is a new request about one of its requester's open tickets?

A citizen who emailed on Monday calls on Wednesday about the same thing; an agent types the
call in, and without a warning two agents answer the same question. At intake, the new
request's text is compared with the requester's open tickets of the last ``WINDOW_DAYS``:
the similarity of their character n-grams (TF-IDF, cosine: robust to rewording, typos and
missing accents), lowered when both were filed under different démarches (then they are
different matters, whatever their words). At or above ``PROBABLE`` the new ticket says which
one it probably repeats. It is *certain* — and the request is then added to that ticket as a
follow-up (``intake.pipeline``) — at or above ``CERTAIN`` and only if neither text names a
number or a month the other lacks while the other names its own: "lampadaire éteint devant
le n° 3" and "… devant le n° 41", "la salle le 7 mars" and "… le 10 octobre" are the same
words about two matters. On the labelled pairs no certain match is wrong (a request wrongly
added to another ticket would be answered late); most repeats are still only probable, for
an agent to merge in one click.

The thresholds are measured, not guessed: ``routing/tests/test_duplicates.py`` computes the
precision and recall on a labelled set of pairs (``corpus/duplicate_pairs.jsonl``).
"""

import datetime
import functools
import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from parvis.routing.examples import BOOTSTRAP_CORPUS, read_examples
from parvis.tickets.models import OPEN_STATUSES, Ticket

WINDOW_DAYS = 90
CANDIDATES = 30
PROBABLE = 0.35
CERTAIN = 0.6
OTHER_DEMARCHE_FACTOR = 0.5
NGRAMS = (3, 4, 5)


@dataclass(frozen=True)
class SameMatter:
    ticket_id: int
    reference: str
    score: float
    certain: bool


_MONTHS = frozenset(
    [
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
    ]
)
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+")


def _particulars(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and the months a text names (house numbers, dates, hours, ages)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    months = frozenset(w for w in _WORD.findall(plain) if w in _MONTHS)
    return frozenset(_NUMBER.findall(plain)), months


def particulars_differ(first: str, second: str) -> bool:
    """Whether each text names numbers (or months) that the other does not: two matters."""
    return any(
        a and b and not (a <= b or b <= a)
        for a, b in zip(_particulars(first), _particulars(second), strict=True)
    )


def is_certain(score: float, first: str, second: str) -> bool:
    return score >= CERTAIN and not particulars_differ(first, second)


@functools.cache
def _idf() -> dict[str, float]:
    """Weights learnt from the bootstrap corpus, once for every process: kept in the shared
    cache under the corpus's hash (the same file gives the same weights, so the value never
    changes under its key), read in ~10 ms by a process that starts, where learning them
    takes ~0.25 s (``mail ingest`` does it at each run, before its workers start)."""
    source = BOOTSTRAP_CORPUS.read_bytes()
    key = f"parvis:duplicates:idf:{IDF_FORMAT}:{hashlib.sha256(source).hexdigest()[:32]}"
    weights: dict[str, float] | None = cache.get(key)
    if weights is None:
        weights = _learn_idf()
        cache.set(key, weights, timeout=None)
    return weights


IDF_FORMAT = 1  # changes with what _learn_idf computes, so that no process reads old weights


def _learn_idf() -> dict[str, float]:
    """What every request says ("bonjour", "demande", "merci") weighs little, what names a
    matter ("lampadaire", "Lilas", "14") much. The inverse document frequency of each n-gram,
    smoothed as scikit-learn's ``TfidfVectorizer`` does (``ln((1 + n) / (1 + df)) + 1``); a
    mapping that threads may share (never modified).

    In plain Python, not scikit-learn: a comparison is of a few short texts, for which
    building sparse matrices cost ten times the arithmetic (measured: 2.5 ms against 0.2),
    and a process that only compares need not import NumPy and scikit-learn (a second)."""
    texts = [e.text for e in read_examples(BOOTSTRAP_CORPUS)]
    frequency: Counter[str] = Counter()
    for text in texts:
        frequency.update(set(_ngrams(text)))
    total = len(texts)
    return {gram: math.log((1 + total) / (1 + df)) + 1 for gram, df in frequency.items()}


WORDS_KEPT = 50_000  # the n-grams of a word, computed once: the corpus repeats its words


def _ngrams(text: str) -> list[str]:
    """Character 3- to 5-grams of each word padded with a space, lower-case and without
    accents: what scikit-learn's ``char_wb`` analyser gives, a word shorter than n once."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    grams: list[str] = []
    for word in text.split():
        grams.extend(_word_ngrams(word))
    return grams


@functools.lru_cache(maxsize=WORDS_KEPT)
def _word_ngrams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in NGRAMS:
        if size <= n:  # the whole padded word, once, for the shortest n only
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return tuple(grams)


def _vector(text: str) -> dict[str, float]:
    """The text's TF-IDF weights (sublinear counts), of length 1; n-grams unseen in the
    corpus carry no weight."""
    idf = _idf()
    weights = {
        gram: (1 + math.log(count)) * idf[gram]
        for gram, count in Counter(_ngrams(text)).items()
        if gram in idf
    }
    norm = math.sqrt(sum(weight * weight for weight in weights.values()))
    return {gram: weight / norm for gram, weight in weights.items()} if norm else {}


def prepare() -> None:
    """Learn the weights now, if this process has not yet (once): called before the
    creation's transaction, which must not hold the database's write lock (SQLite: every
    other writer waits) while they are learnt."""
    _idf()


def similarity(first: str, others: list[str]) -> list[float]:
    """The cosine similarity of ``first`` with each of ``others`` (0 to 1)."""
    if not first.strip() or not others:
        return [0.0 for _ in others]
    reference = _vector(first)
    scores = []
    for other in others:
        vector = _vector(other)
        small, large = (vector, reference) if len(vector) < len(reference) else (reference, vector)
        score = sum(weight * large.get(gram, 0.0) for gram, weight in small.items())
        scores.append(min(max(score, 0.0), 1.0))
    return scores


def pair_score(
    first: str, second: str, first_request_type: int | None, second_request_type: int | None
) -> float:
    """How surely two requests of one person are about the same matter."""
    score = similarity(first, [second])[0]
    if first_request_type and second_request_type and first_request_type != second_request_type:
        score *= OTHER_DEMARCHE_FACTOR
    return score


def same_matter(*, requester_id: int, text: str, request_type_id: int | None) -> SameMatter | None:
    """The requester's open ticket this request most probably repeats, if any."""
    since = timezone.now() - datetime.timedelta(days=WINDOW_DAYS)
    candidates = list(
        Ticket.objects.filter(
            requester_id=requester_id, status__in=OPEN_STATUSES, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("pk", "reference", "subject", "description", "request_type_id")[:CANDIDATES]
    )
    if not candidates:
        return None
    texts = [f"{subject}\n{description}" for _pk, _ref, subject, description, _t in candidates]
    scores = similarity(text, texts)
    best: SameMatter | None = None
    for (pk, reference, _subject, _description, other_type), other_text, score in zip(
        candidates, texts, scores, strict=True
    ):
        if request_type_id and other_type and request_type_id != other_type:
            score *= OTHER_DEMARCHE_FACTOR
        if score >= PROBABLE and (best is None or score > best.score):
            best = SameMatter(pk, reference, round(score, 3), is_certain(score, text, other_text))
    return best
