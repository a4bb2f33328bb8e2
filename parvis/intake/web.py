"""From a web form post to an ``IncomingRequest``: the portal's request form, the phone form.

A channel's common form says who asks and what about; the démarche's fields form
(``intake.forms.demarche_fields_form``) adds the structured values and the files of its file
fields. Both are validated together, so that every error shows at once. A form that must
not create twice carries a one-time token, its idempotency key (``intake.idempotency``).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from parvis.accounts.models import User
from parvis.catalog.forms import json_values
from parvis.catalog.models import RequestType
from parvis.intake.idempotency import (
    StoredResponse,
    canonical_json,
    request_fingerprint,
    respond_once,
)
from parvis.intake.pipeline import Outcome, Submitted, intake_submit
from parvis.intake.throttling import client_submission_check
from parvis.tickets.files import CheckedFile
from parvis.tickets.references import next_reference
from parvis.tickets.structures import IncomingRequest

SUBMISSION_TOKEN_BYTES = 24  # as unguessable as a tracking link
_SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what token_urlsafe(24) gives


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


def new_submission_token() -> str:
    """A one-time token for a form about to be shown: it names the one ticket it may create."""
    return secrets.token_urlsafe(SUBMISSION_TOKEN_BYTES)


def submission_token_or_blank(value: str) -> str:
    """The token a form came back with, or "" if it is not one of ours: then it is ignored."""
    return value if _SUBMISSION_TOKEN.fullmatch(value) else ""


class OneTimeTokenForm(forms.Form):
    """A form that must not create twice: it carries its one-time token.

    A new token each time the empty form is shown; a form shown again with its errors keeps
    its own: one form makes one ticket, however often it is sent.
    """

    submission_token = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=new_submission_token
    )

    def clean_submission_token(self) -> str:
        return submission_token_or_blank(self.cleaned_data["submission_token"])


@dataclass(frozen=True)
class Created:
    """The ticket a form post went to, or went to when first sent; ``appended``: as a
    follow-up of the requester's open ticket on the same matter, not a new one."""

    reference: str
    tracking_token: str
    appended: bool = False


def submit_once(
    request: HttpRequest,
    incoming: IncomingRequest,
    *,
    submission_token: str,
    scope: str,
    actor: User | None,
    client: str | None = None,
) -> Created:
    """``intake_submit`` once per form token: a second post of the same form gets the first.

    ``client``, the device's address on a public form, is counted against the limit per
    client (``throttling``) when a ticket is about to be created, not for a second post of
    a form already sent; a desk's form has none.

    Raises ``KeyReusedError`` (the form was changed, then sent again with its token: the
    error carries the first ticket) and ``KeyInProgressError`` (the first post is still
    being saved), as ``respond_once`` does. Without a token (a form shown before tokens
    existed, or posted by a script) the ticket is simply created.
    """
    if not submission_token:
        if client is not None:
            client_submission_check(client)
        submitted = intake_submit(incoming=incoming, actor=actor)
        return created_from(_body(submitted))
    reference = next_reference()  # before the token's transaction (intake.pipeline)

    def create() -> StoredResponse:
        # A refusal leaves a gap in the numbers, as any failed creation does (ADR 0001).
        if client is not None:
            client_submission_check(client)
        submitted = intake_submit(incoming=incoming, actor=actor, reference=reference)
        return StoredResponse(status=302, body=_body(submitted))

    return created_from(
        respond_once(
            scope=scope, key=submission_token, fingerprint=form_fingerprint(request), respond=create
        ).body
    )


def _body(submitted: Submitted) -> dict[str, object]:
    ticket = submitted.ticket
    return {
        "reference": ticket.reference,
        "tracking_token": ticket.tracking_token,
        "outcome": str(submitted.outcome),
    }


def created_from(body: object) -> Created:
    """The ticket a stored form response names (bodies stored before session 4: no reference;
    before the follow-ups of the same matter: no outcome, a ticket was created)."""
    assert isinstance(body, dict)
    reference, tracking_token = body.get("reference", ""), body["tracking_token"]
    return Created(
        reference=str(reference),
        tracking_token=str(tracking_token),
        appended=body.get("outcome") == Outcome.APPENDED,
    )


def form_fingerprint(request: HttpRequest) -> str:
    """What makes a second post of a form the same post: method, path, every field but the
    CSRF token, and each file's name and SHA-256."""
    fields = [
        [name, request.POST.getlist(name)]
        for name in sorted(request.POST)
        if name != "csrfmiddlewaretoken"
    ]
    files = [
        [name, [[upload.name, _sha256(upload)] for upload in request.FILES.getlist(name)]]
        for name in sorted(request.FILES)
    ]
    return request_fingerprint(
        request.method or "POST", request.path, canonical_json([fields, files])
    )


def _sha256(upload: UploadedFile[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():  # from the start, whatever read it before
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
