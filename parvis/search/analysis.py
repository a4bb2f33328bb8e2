"""French text analysis shared by every search: the same terms from a document and a query.

``terms("Les actes de naissance")`` → ``["acte", "naissanc"]``: lower-cased, accents
removed (``parvis.core.text.normalize``), elisions and stop words dropped, SMS spellings
expanded ("pr" → "pour"), each word reduced to its French Snowball stem. Done in Python so
that SQLite and PostgreSQL find the same things (docs/decisions/0022-search.md).
"""

from functools import lru_cache

import snowballstemmer

from parvis.core.text import normalize
from parvis.search.vocabulary import sms_spellings, stop_words

_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a normalised word (cached: stemming is pure Python)."""
    if word.isdigit():
        return word
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """Normalised words, SMS spellings expanded, elisions ("d'", "l'") and stop words dropped."""
    spellings = sms_spellings()
    stops = stop_words()
    found: list[str] = []
    for word in normalize(text).split():
        for part in spellings.get(word, (word,)):
            if len(part) > 1 and part not in stops:
                found.append(part)
    return found


def terms(text: str) -> list[str]:
    """The stems of ``text``'s meaningful words, in order (repeats kept: they weigh)."""
    return [stem(word) for word in words(text)]
