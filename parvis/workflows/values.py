"""The values an agent types at a transition: checked against the transition's fields.

They are what a person typed, so they are kept in the step's event as typed (a date in ISO
form), and shown as the transition's field labels say, translated and formatted when read.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from parvis.workflows.specs import FieldSpec, field_from_data
from parvis.workflows.vocabulary import FieldKind

MAX_LENGTH = {FieldKind.TEXT: 200, FieldKind.TEXTAREA: 5000, FieldKind.DATE: 10}


def transition_fields(fields: list[dict[str, Any]]) -> list[FieldSpec]:
    return [field_from_data(item) for item in fields]


def clean_values(fields: list[FieldSpec], raw: Mapping[str, object]) -> dict[str, str]:
    """The values by key, stripped; a French ValidationError per field at fault."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for item in fields:
        value = str(raw.get(item.key) or "").strip()
        if not value:
            if item.required:
                errors[item.key] = [
                    _("« %(label)s » est obligatoire pour cette étape.") % {"label": item.label}
                ]
            continue
        if len(value) > MAX_LENGTH.get(FieldKind(item.kind), 200):
            errors[item.key] = [
                _("« %(label)s » : %(max)s caractères au plus.")
                % {"label": item.label, "max": MAX_LENGTH[FieldKind(item.kind)]}
            ]
            continue
        if item.kind == FieldKind.DATE:
            try:
                value = datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                errors[item.key] = [
                    _("« %(label)s » : saisissez une date valide (jj/mm/aaaa).")
                    % {"label": item.label}
                ]
                continue
        cleaned[item.key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def shown_value(item: FieldSpec, value: object) -> str:
    """A stored value as a person reads it (a date as 14/03/2026)."""
    if item.kind == FieldKind.DATE:
        try:
            return str(formats.date_format(datetime.date.fromisoformat(str(value)), "d/m/Y"))
        except ValueError:
            return str(value)
    return str(value)


def value_rows(
    fields: list[FieldSpec], values: Mapping[str, object], *, public_only: bool
) -> list[tuple[str, str]]:
    """(label, value) of what was typed, in the fields' order; the public ones only if asked."""
    return [
        (item.label, shown_value(item, values[item.key]))
        for item in fields
        if item.key in values and (item.public or not public_only)
    ]
