"""Form errors for people: the summary at the top of a page, each line linking to its field."""

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class ErrorLine:
    """One line of the error summary: a link to the field (if any) and the message."""

    anchor: str
    label: str
    message: str


def error_summary(*forms_: forms.Form | None) -> list[ErrorLine]:
    """Every error of these forms, in page order, each linking to its field."""
    lines: list[ErrorLine] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            lines.append(ErrorLine("", "", str(message)))
        for bound_field in form:
            # A checkbox's label is a whole sentence: its message alone reads better.
            label = "" if bound_field.widget_type == "checkbox" else str(bound_field.label)
            for message in bound_field.errors:
                lines.append(ErrorLine(bound_field.auto_id or "", label, str(message)))
    return lines
