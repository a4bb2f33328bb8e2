"""Filing a request: the démarche's form, checked, then handed to ``intake_submit``."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parvis.catalog.models import RequestType
from parvis.catalog.selectors import request_type_with_fields
from parvis.intake.errors import add_validation_error
from parvis.intake.forms import demarche_fields_form
from parvis.intake.pipeline import intake_submit
from parvis.intake.web import form_incoming_request
from parvis.portal.errors import error_summary
from parvis.portal.forms import SubmissionForm

# The tracking page shows the acknowledgement once, to whoever just filed the request.
ACK_SESSION_KEY = "portal_acknowledge"


def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    request_type = request_type_with_fields(slug)
    if request_type is None:
        raise Http404
    description_required = not any(d.required for d in request_type.fields.all())
    if request.method != "POST":
        form = SubmissionForm(
            initial={"subject": request_type.name}, description_required=description_required
        )
        return _render(request, request_type, form, demarche_fields_form(request_type))

    form = SubmissionForm(request.POST, request.FILES, description_required=description_required)
    fields_form = demarche_fields_form(request_type, request.POST, request.FILES)
    incoming = form_incoming_request(form, fields_form, request_type)
    if incoming is None:
        return _render(request, request_type, form, fields_form, status=400)
    try:
        ticket = intake_submit(incoming=incoming, actor=None)
    except ValidationError as error:
        add_validation_error(error, fields_form, form)
        return _render(request, request_type, form, fields_form, status=400)
    # Only the address typed here is shown back: the requester found by phone may hold another.
    request.session[ACK_SESSION_KEY] = {
        "token": ticket.tracking_token,
        "email": form.cleaned_data["email"],
    }
    return redirect("portal:track", token=ticket.tracking_token)


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
