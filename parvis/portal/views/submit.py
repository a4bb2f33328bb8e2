"""Filing a request: the démarche's form, checked, then handed to ``intake_submit`` once.

Requests are limited per client address here and per email address by intake
(``parvis.intake.throttling``); a refused one is shown again as typed, with a 429.

The form carries a one-time token, the idempotency key of its post: sent twice (a double
click, a reload, a retry after a time-out), it creates one ticket and the second post is
taken to its tracking page. A request its requester surely made already (the same matter,
``intake.pipeline``) is added to that one: the page says so and leads to "Suivre une demande".
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parvis.bookings.slots import binding_of
from parvis.catalog.models import FormField, RequestType
from parvis.catalog.selectors import request_type_with_fields
from parvis.core.ratelimit import client_ip
from parvis.intake.errors import add_validation_error
from parvis.intake.forms import demarche_fields_form
from parvis.intake.idempotency import PORTAL_SCOPE, KeyInProgressError, KeyReusedError
from parvis.intake.throttling import SubmissionThrottled
from parvis.intake.web import Created, created_from, form_incoming_request, submit_once
from parvis.knowledge.deflection import (
    deflection_record_submitted,
    deflection_session_new,
    deflection_session_read,
)
from parvis.knowledge.selectors import articles_for_request_type
from parvis.portal.acknowledgement import acknowledgement_set
from parvis.portal.errors import error_summary
from parvis.portal.forms import SubmissionForm
from parvis.portal.views.bookings import field_name


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
        created = submit_once(
            request,
            incoming,
            submission_token=form.cleaned_data["submission_token"],
            scope=PORTAL_SCOPE,
            actor=None,
            client=client_ip(request),
        )
    except SubmissionThrottled as error:
        # Shown again with everything typed in it, but the files (the page says so).
        add_validation_error(error, fields_form, form)
        return _render(request, request_type, form, fields_form, status=429)
    except ValidationError as error:
        add_validation_error(error, fields_form, form)
        return _render(request, request_type, form, fields_form, status=400)
    except KeyReusedError as reused:
        # The form was sent, then changed and sent again (back button): the first one stands.
        messages.warning(
            request,
            _(
                "Cette demande avait déjà été envoyée : la voici. Les modifications faites "
                "ensuite dans le formulaire n'ont pas été enregistrées ; ajoutez-les dans un "
                "message ci-dessous."
            ),
        )
        first = created_from(reused.first.body)
        if first.appended:
            return _appended(request, first)
        return redirect("portal:track", token=first.tracking_token)
    except KeyInProgressError:
        form.add_error(
            None,
            _(
                "Votre demande est en cours d'envoi. Patientez quelques secondes, puis "
                "envoyez le formulaire à nouveau : elle ne sera pas enregistrée deux fois."
            ),
        )
        return _render(request, request_type, form, fields_form, status=409)
    session = deflection_session_read(request.POST.get("deflection_session", ""))
    if session is not None:
        # Sent after its suggestions: not a request avoided, whatever was clicked before.
        deflection_record_submitted(session=session, request_type_id=request_type.pk)
    if created.appended:
        return _appended(request, created)
    return acknowledgement_set(
        redirect("portal:track", token=created.tracking_token), created.tracking_token
    )


def _appended(request: HttpRequest, created: Created) -> HttpResponse:
    """The request went to the person's open request on the same matter: say so, and where
    to follow it — by the link mailed to its address, not shown here: whoever filled in the
    form may have typed someone else's address (ADR 0018)."""
    messages.success(
        request,
        _(
            "Votre demande porte sur la même affaire que votre demande en cours n° "
            "%(reference)s : elle y a été ajoutée, avec vos fichiers, au lieu de créer une "
            "nouvelle demande. Le service qui traite la demande %(reference)s en est averti. "
            "Suivez-la avec le lien reçu par courriel lors de votre première demande, ou "
            "recevez-le à nouveau ci-dessous."
        )
        % {"reference": created.reference},
    )
    return redirect(
        f"{reverse('portal:track_lookup')}?{urlencode({'reference': created.reference})}"
    )


def _render(
    request: HttpRequest,
    request_type: RequestType,
    form: SubmissionForm,
    fields_form: forms.Form,
    status: int = 200,
) -> HttpResponse:
    errors = error_summary(form, fields_form) if form.is_bound else []
    location_keys = [f.key for f in request_type.fields.all() if f.kind == FormField.Kind.LOCATION]
    context: dict[str, object] = {
        "request_type": request_type,
        # The field after which a public-space report asks for its point and lists the open
        # reports near it (``views.nearby``).
        "nearby_after": location_keys[0]
        if location_keys and request_type.is_public_space_report
        else None,
        "form": form,
        "fields_form": fields_form,
        "errors": errors,
        "files_dropped": bool(errors and request.FILES),
        "articles": articles_for_request_type(request_type.pk),
        # The same form keeps its session when it comes back with errors.
        "deflection_session": _deflection_session(request),
    }
    binding = binding_of(request_type)
    if binding is not None:
        # The fragment of free and taken hours follows the resource and date chosen (HTMX).
        context["availability"] = {
            "resource_id": f"id_{field_name(binding.resource)}",
            "date_id": f"id_{field_name(binding.start_date)}",
        }
    return render(request, "portal/request_form.html", context, status=status)


def _deflection_session(request: HttpRequest) -> str:
    signed = request.POST.get("deflection_session", "")
    return signed if deflection_session_read(signed) is not None else deflection_session_new()
