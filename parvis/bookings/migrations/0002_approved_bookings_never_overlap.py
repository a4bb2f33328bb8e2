"""Two approved bookings of one resource never overlap, enforced by the database (ADR 0025).

PostgreSQL: an exclusion constraint over ``tstzrange(starts_at, ends_at, '[)')`` and the
resource, for approved rows (``btree_gist`` lets a GiST index compare the resource id).
Two transactions approving overlapping slots at once: the second waits for the first and
fails when it commits. SQLite: triggers before an insert or an update of an approved row,
raising ``booking_no_overlap``; SQLite has one writer at a time (Parvis opens its
transactions IMMEDIATE), so the trigger of the second writer sees the first's row. The SQL
is constant text, on the table and columns of migration 0001.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func

from parvis.bookings.operations import OnVendor


class TsTzRange(Func):
    """tstzrange(start, end, '[)'): the half-open slot (one ending at 14:00 and one starting
    at 14:00 do not overlap)."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


_SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'booking_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings_booking AS other
        WHERE other.resource_id = NEW.resource_id
          AND other.state = 'approved'
          AND other.id != NEW.id
          AND other.starts_at < NEW.ends_at
          AND other.ends_at > NEW.starts_at
    );
"""

SQLITE_TRIGGERS = [
    "CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON bookings_booking "
    "WHEN NEW.state = 'approved' BEGIN" + _SQLITE_CHECK + "END",
    "CREATE TRIGGER booking_no_overlap_update "
    "BEFORE UPDATE OF state, resource_id, starts_at, ends_at ON bookings_booking "
    "WHEN NEW.state = 'approved' BEGIN" + _SQLITE_CHECK + "END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # does nothing outside PostgreSQL
        OnVendor(
            "postgresql",
            migrations.AddConstraint(
                model_name="booking",
                constraint=ExclusionConstraint(
                    name="booking_no_overlap",
                    expressions=[
                        (TsTzRange("starts_at", "ends_at", models.Value("[)")), RangeOperators.OVERLAPS),
                        ("resource", RangeOperators.EQUAL),
                    ],
                    condition=models.Q(state="approved"),
                ),
            ),
        ),
        OnVendor("sqlite", migrations.RunSQL(SQLITE_TRIGGERS, SQLITE_DROP)),
    ]
