"""A migration operation that runs on one database vendor only.

The rule "two approved bookings of one resource never overlap" is written once per vendor:
PostgreSQL has exclusion constraints, SQLite has triggers. Neither is in the models' state
(``Meta.constraints``): Django would otherwise try the PostgreSQL constraint on SQLite,
and run it in model validation. The rule lives in the database only, named
``booking_no_overlap`` on both (the actions recognise it by that name).
"""

from typing import Any

from django.db.migrations.operations.base import Operation


class OnVendor(Operation):
    """``operation``'s database effects where the connection's vendor is ``vendor``; no state."""

    reversible = True

    def __init__(self, vendor: str, operation: Operation) -> None:
        self.vendor = vendor
        self.operation = operation

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.vendor, self.operation], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"On {self.vendor} only: {self.operation.describe()}"
