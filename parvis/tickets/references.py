"""Tracking numbers: "2026-00042" — short enough to read on the phone, never reused.

A counter row per year is incremented by one upsert statement, its own short
transaction (see docs/decisions/0001-reference-numbers.md): concurrent creations queue on
that row for a moment only, and a failed creation leaves a gap rather than a reused number.
"""

import datetime

from django.db import connection
from django.utils import timezone


def format_reference(year: int, value: int) -> str:
    return f"{year}-{value:05d}"


# One round trip, on PostgreSQL and SQLite alike; a constant, checked against the model's
# table by ``test_reference_counter_statement_names_the_model_table``.
NEXT_VALUE_SQL = (
    'INSERT INTO "tickets_referencecounter" (year, last_value) VALUES (%s, 1) '
    'ON CONFLICT (year) DO UPDATE SET last_value = "tickets_referencecounter".last_value + 1 '
    "RETURNING last_value"
)


def next_reference(now: datetime.datetime | None = None) -> str:
    year = timezone.localtime(now or timezone.now()).year
    # Called outside a transaction (as ``intake_submit`` does), the statement is a
    # transaction of its own, committed at once: one round trip instead of BEGIN, the
    # upsert and COMMIT. Inside a caller's transaction, it is part of it.
    with connection.cursor() as cursor:
        cursor.execute(NEXT_VALUE_SQL, [year])
        (value,) = cursor.fetchone()
    return format_reference(year, value)
