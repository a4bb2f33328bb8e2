"""Text normalisation shared by search, routing, requester lookup and what is sent on
narrow channels (SMS, a letter's plain font)."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")

# French typography that a narrow alphabet lacks, in its plainest spelling.
PLAIN_SIGNS = {
    "œ": "oe",  # i18n: ignore — a character and its spelling
    "Œ": "OE",  # i18n: ignore — a character and its spelling
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
}


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: "Éclairage  PUBLIC" -> "eclairage public"."""
    return " ".join(_NON_WORD.split(unaccent(text).lower())).strip()


def normalize_phone(phone: str) -> str:
    """Digits only, French national form: "+33 6 12 34 56 78" -> "0612345678"."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits
