"""What each database needs for the agents' ticket search (docs/decisions/0022-search.md).

PostgreSQL: the text search configuration ``parvis_french`` — the ``french`` one with
``unaccent`` before the stemmer — created by this app's migrations with the extensions
``unaccent`` and ``pg_trgm``. SQLite: ``PARVIS_SEARCH_TEXT(text)``, Python's own
normalisation (``parvis.core.text.normalize``), registered on every connection.
"""

from typing import Any

from django.db.models import F, Func, Value
from django.db.models.functions import Replace

from parvis.core.text import normalize

TEXT_SEARCH_CONFIG = "parvis_french"
SQLITE_SEARCH_TEXT = "PARVIS_SEARCH_TEXT"

# Constant statements run by the migration on PostgreSQL only (nothing built from input).
CREATE_CONFIG = (
    "DO $$ BEGIN "
    "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'parvis_french') THEN "
    "CREATE TEXT SEARCH CONFIGURATION parvis_french (COPY = french); "
    "ALTER TEXT SEARCH CONFIGURATION parvis_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem; "
    "END IF; END $$;"
)
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS parvis_french"


def phone_digits() -> Func:
    """The phone number given, without its separators: "06 12.34-56" → "06123456"."""
    digits: Func | F = F("requester_phone")
    for separator in (" ", ".", "-", "+", "(", ")"):
        digits = Replace(digits, Value(separator), Value(""))
    assert isinstance(digits, Func)
    return digits


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give SQLite the normalisation used by the search."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_SEARCH_TEXT, 1, _search_text, deterministic=True
        )


def _search_text(text: str | None) -> str:
    return f" {normalize(text)} " if text else ""
