"""What the check reports, and how it tells a person's words from names and codes."""

import re
from dataclasses import dataclass

PRAGMA = "i18n: ignore"

GETTEXT_FUNCTIONS = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)

LETTERS = re.compile(r"[^\W\d_]")
TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.DOTALL)
_FRENCH_LETTERS = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»]")
_ELISION = re.compile(r"(?<![\w'’])(?:[cdjlmnst]|qu)['’][^\W\d_]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_FRENCH_WORDS = frozenset(
    (  # noqa: SIM905 - a sentence of words reads better than a list of fifty quoted strings
        "le la les un une des du de et est sont pour par avec sans dans sur au aux vous votre "
        "vos nous notre ne pas plus qui que ce cette ces son sa ses il elle mes mon ma se "
        "leur leurs été être avoir"
    ).split()
)
UNNAMED_PLACEHOLDER = re.compile(r"%(?!\(|%)[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass(frozen=True)
class Finding:
    """One string that a person would read untranslated: where, what, and why it counts."""

    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        text = text if len(text) <= 80 else text[:77] + "…"
        return f"{self.path}:{self.line}: {self.why}: {text!r}"


def is_words(text: str) -> bool:
    """Words for a person rather than a name or a code: spaced letters, or French."""
    return bool(LETTERS.search(text)) and (" " in text.strip() or looks_french(text))


def looks_french(text: str) -> bool:
    """Whether a string reads as French prose (and so is written for a person)."""
    if _FRENCH_LETTERS.search(text) or _ELISION.search(text):
        return True
    words = [word.lower() for word in _WORD.findall(text)]
    return sum(word in _FRENCH_WORDS for word in words) >= 2
