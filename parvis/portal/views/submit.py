"""Filing a request: the démarche's form, checked, then handed to ``intake_submit``."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parvis.catalog.forms import fields_form_class, json_values
from parvis.catalog.models import FormField, RequestType
from parvis.catalog.selectors import request_type_with_fields
from parvis.intake.errors import add_validation_error
from parvis.intake.pipeline import intake_submit
from parvis.portal.errors import error_summary
from parvis.portal.forms import SubmissionForm
from parvis.portal.uploads import checked_file, checked_files
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Channel
from parvis.tickets.structures import IncomingRequest, RequesterData

# The tracking page shows the acknowledgement once, to whoever just filed the request.
ACK_SESSION_KEY = "portal_acknowledge"
FIELDS_PREFIX = "f"


def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    request_type = request_type_with_fields(slug)
    if request_type is None:
        raise Http404
    definitions = list(request_type.fields.all())
    description_required = not any(d.required for d in definitions)
    fields_form_cls = fields_form_class(request_type)
    if request.method != "POST":
        form = SubmissionForm(
            initial={"subject": request_type.name}, description_required=description_required
        )
        fields_form = fields_form_cls(prefix=FIELDS_PREFIX)
        return _render(request, request_type, form, fields_form)

    form = SubmissionForm(request.POST, request.FILES, description_required=description_required)
    fields_form = fields_form_cls(request.POST, request.FILES, prefix=FIELDS_PREFIX)
    form.is_valid()
    fields_form.is_valid()
    files = checked_files(form, "attachments", form.cleaned_data.get("attachments") or [])
    field_files = _checked_field_files(definitions, fields_form)
    if form.errors or fields_form.errors:
        return _render(request, request_type, form, fields_form, status=400)

    data = form.cleaned_data
    name = data["name"].strip()
    association = data["association_name"].strip()
    # Typing the association's name says as much as ticking the box.
    is_association = bool(data["is_association"] or association)
    if association:
        name = f"{association} (représentée par {name})"
    incoming = IncomingRequest(
        channel=Channel.WEB,
        requester=RequesterData(
            name=name,
            email=data["email"],
            phone=data["phone"],
            is_association=is_association,
        ),
        subject=data["subject"].strip() or request_type.name,
        description=data["description"],
        request_type=request_type,
        field_values=json_values(request_type, fields_form.cleaned_data),
        files=files,
        field_files=field_files,
    )
    try:
        ticket = intake_submit(incoming=incoming, actor=None)
    except ValidationError as error:
        add_validation_error(error, fields_form, form)
        return _render(request, request_type, form, fields_form, status=400)
    # Only the address typed here is shown back: the requester found by phone may hold another.
    request.session[ACK_SESSION_KEY] = {"token": ticket.tracking_token, "email": data["email"]}
    return redirect("portal:track", token=ticket.tracking_token)


def _checked_field_files(
    definitions: list[FormField], fields_form: forms.Form
) -> dict[str, CheckedFile]:
    """The files of the démarche's file fields that pass the checks, by field key."""
    field_files: dict[str, CheckedFile] = {}
    for definition in definitions:
        if definition.kind != FormField.Kind.FILE:
            continue
        upload = fields_form.cleaned_data.get(definition.key)
        checked = checked_file(fields_form, definition.key, upload)
        if checked is not None:
            field_files[definition.key] = checked
    return field_files


def _render(
    request: HttpRequest,
    request_type: RequestType,
    form: SubmissionForm,
    fields_form: forms.Form,
    status: int = 200,
) -> HttpResponse:
    errors = error_summary(form, fields_form) if form.is_bound else []
    context = {
        "request_type": request_type,
        "form": form,
        "fields_form": fields_form,
        "errors": errors,
        "files_dropped": bool(errors and request.FILES),
    }
    return render(request, "portal/request_form.html", context, status=status)
