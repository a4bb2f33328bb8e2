"""From a web form post to an ``IncomingRequest``: the portal's request form, the phone form.

A channel's common form says who asks and what about; the démarche's fields form
(``intake.forms.demarche_fields_form``) adds the structured values and the files of its file
fields. Both are validated together, so that every error shows at once.
"""

from dataclasses import dataclass
from typing import Protocol

from django import forms

from parvis.catalog.forms import json_values
from parvis.catalog.models import RequestType
from parvis.tickets.files import CheckedFile
from parvis.tickets.structures import IncomingRequest


@dataclass(frozen=True)
class DemarcheAnswers:
    """The démarche's part of a form post: structured values, and checked files, by field key."""

    values: dict[str, object]
    files: dict[str, CheckedFile]


class IncomingForm(Protocol):
    """A channel's common form: it knows how to say what it received as an IncomingRequest."""

    def is_valid(self) -> bool: ...

    def incoming_request(
        self, *, request_type: RequestType | None, answers: DemarcheAnswers
    ) -> IncomingRequest: ...


def form_incoming_request(
    form: IncomingForm, fields_form: forms.Form | None, request_type: RequestType | None
) -> IncomingRequest | None:
    """What the two forms received, or None if either has errors (they are on the forms)."""
    valid = form.is_valid()
    if fields_form is not None:
        valid = fields_form.is_valid() and valid
    if not valid:
        return None
    answers = DemarcheAnswers(values={}, files={})
    if fields_form is not None and request_type is not None:
        cleaned = fields_form.cleaned_data
        answers = DemarcheAnswers(
            values=json_values(request_type, cleaned),
            files={key: value for key, value in cleaned.items() if isinstance(value, CheckedFile)},
        )
    return form.incoming_request(request_type=request_type, answers=answers)
