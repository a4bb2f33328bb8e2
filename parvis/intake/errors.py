"""A domain ValidationError put back where the person will read it: on the field it names.

Domain code (``intake_submit``, the actions) raises French ``ValidationError``s keyed by
field, or not keyed at all. Each interface shows a message next to the field it is about if
that field is one of its own, else as a general error: the forms of a page and the API's
JSON say it in their own way through ``place_errors``.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class PlacedErrors:
    """Messages of a domain error and where they go: ``place`` is the index of the first
    group of fields that holds ``field``; None for both when they belong to no field."""

    place: int | None
    field: str | None
    messages: list[str]


def place_errors(error: ValidationError, *groups: Collection[str]) -> list[PlacedErrors]:
    """The error's messages, each keyed field given to the first group that has it."""
    if not hasattr(error, "error_dict"):
        return [PlacedErrors(None, None, error.messages)]
    placed = []
    for key, messages in error.message_dict.items():
        place = next((index for index, group in enumerate(groups) if key in group), None)
        if place is None:
            placed.append(PlacedErrors(None, None, messages))
        else:
            placed.append(PlacedErrors(place, key, messages))
    return placed


def add_validation_error(error: ValidationError, *forms_: forms.Form) -> None:
    """Attach a domain error to the form holding each field (the rest to the first form)."""
    for placed in place_errors(error, *(form.fields for form in forms_)):
        forms_[placed.place or 0].add_error(placed.field, placed.messages)
