"""Same person, same matter: is a new request about one of its requester's open tickets?

A citizen who emailed on Monday calls on Wednesday about the same thing; an agent types the
call in, and without a warning two agents answer the same question. At intake, the new
request's text is compared with the requester's open tickets of the last ``WINDOW_DAYS``:
the similarity of their character n-grams (TF-IDF, cosine: robust to rewording, typos and
missing accents), lowered when both were filed under different démarches (then they are
different matters, whatever their words). At or above ``PROBABLE`` the new ticket says which
one it probably repeats; at or above ``CERTAIN`` too, with "certain" in the facts (the step
that attaches such a request as a follow-up builds on it).

The thresholds are measured, not guessed: ``routing/tests/test_duplicates.py`` computes the
precision and recall on a labelled set of pairs (``corpus/duplicate_pairs.jsonl``).
"""

import datetime
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from parvis.routing.examples import BOOTSTRAP_CORPUS, read_examples
from parvis.tickets.models import OPEN_STATUSES, Ticket

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

WINDOW_DAYS = 90
CANDIDATES = 30
PROBABLE = 0.35
CERTAIN = 0.6
OTHER_DEMARCHE_FACTOR = 0.5


@dataclass(frozen=True)
class SameMatter:
    ticket_id: int
    reference: str
    score: float

    @property
    def certain(self) -> bool:
        return self.score >= CERTAIN


@functools.cache
def _vectorizer() -> "TfidfVectorizer":
    """Weights learnt once per process from the bootstrap corpus: what every request says
    ("bonjour", "demande", "merci") weighs little, what names a matter ("lampadaire", "Lilas",
    "14") much. Only ``transform`` is called afterwards, which threads may share.

    NumPy and scikit-learn are imported here, at the first comparison, not when a process
    starts (a second each)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        strip_accents="unicode",
        sublinear_tf=True,
        min_df=1,
        dtype=np.float32,
    )
    vectorizer.fit(e.text for e in read_examples(BOOTSTRAP_CORPUS))
    return vectorizer


def prepare() -> None:
    """Learn the weights now, if this process has not yet (seconds, once): called before the
    creation's transaction, which must not hold the database's write lock (SQLite: every
    other writer waits) while they are learnt."""
    _vectorizer()


def similarity(first: str, others: list[str]) -> list[float]:
    """The cosine similarity of ``first`` with each of ``others`` (0 to 1)."""
    if not first.strip() or not others:
        return [0.0 for _ in others]
    matrix = _vectorizer().transform([first, *others])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    return [min(max(float(score), 0.0), 1.0) for score in scores]


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
    for (pk, reference, _subject, _description, other_type), score in zip(
        candidates, scores, strict=True
    ):
        if request_type_id and other_type and request_type_id != other_type:
            score *= OTHER_DEMARCHE_FACTOR
        if score >= PROBABLE and (best is None or score > best.score):
            best = SameMatter(pk, reference, round(score, 3))
    return best
