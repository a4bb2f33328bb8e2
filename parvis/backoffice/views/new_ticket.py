"""The phone / counter form: find the requester, pick a démarche, read out the reference."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.new_ticket import NewTicketForm
from parvis.backoffice.forms.queue import clean_text, positive_int
from parvis.backoffice.selectors import (
    created_ticket_service_name,
    requester_for_form,
    requester_search,
    ticket_is_visible,
)
from parvis.catalog.models import RequestType
from parvis.catalog.selectors import agent_request_types, request_type_with_fields
from parvis.intake.errors import add_validation_error
from parvis.intake.forms import demarche_fields_form
from parvis.intake.idempotency import KeyInProgressError, KeyReusedError, desk_scope
from parvis.intake.web import created_from, form_incoming_request, submit_once

SESSION_KEY = "backoffice_created_tickets"


@require_http_methods(["GET", "POST"])
@agent_required
def new_ticket(request: AgentRequest) -> HttpResponse:
    query = clean_text(request.GET.get("q"))
    if request.method == "POST" and "reload" in request.POST:
        # Without JavaScript, "Afficher les champs" redraws the form with the démarche's fields.
        form = NewTicketForm(initial=request.POST.dict())
        request_type = form.request_type_from(request.POST.get("request_type"))
        fields_form = _fields_form(request_type, request, bound=False)
    elif request.method == "POST":
        form = NewTicketForm(request.POST)
        request_type = form.chosen_request_type()
        fields_form = _fields_form(request_type, request, bound=True)
        created = _submit(request, form, fields_form)
        if created is not None:
            return created
    else:
        form = NewTicketForm(initial=_initial_requester(request))
        request_type, fields_form = None, None
    return render(
        request,
        "backoffice/new_ticket.html",
        {
            "form": form,
            "fields_form": fields_form,
            "request_type": request_type,
            "query": query,
            "requesters": requester_search(request.user, query) if query else [],
        },
    )


def _initial_requester(request: AgentRequest) -> dict[str, Any]:
    """Prefill the requester when the agent picked one in the search (no-JavaScript path)."""
    requester_id = positive_int(request.GET.get("requester"))
    requester = requester_for_form(requester_id) if requester_id else None
    if requester is None:
        return {}
    return {
        "requester_name": requester.name,
        "requester_email": requester.email,
        "requester_phone": requester.phone,
    }


def _fields_form(
    request_type: RequestType | None, request: AgentRequest, *, bound: bool
) -> forms.Form | None:
    if request_type is None:
        return None
    if not bound:
        return demarche_fields_form(request_type, files_required=False)
    return demarche_fields_form(request_type, request.POST, request.FILES, files_required=False)


def _submit(
    request: AgentRequest, form: NewTicketForm, fields_form: forms.Form | None
) -> HttpResponse | None:
    """Create the ticket once and redirect to the confirmation, or None to show the errors.

    The form carries a one-time token (``intake.web.submit_once``): a double click, or the
    form sent again after a time-out, shows the confirmation of the first ticket.
    """
    incoming = form_incoming_request(form, fields_form, form.chosen_request_type())
    created = None
    if incoming is not None:
        try:
            created = submit_once(
                request,
                incoming,
                submission_token=form.cleaned_data["submission_token"],
                scope=desk_scope(request.user),
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_error(error, *(f for f in (fields_form, form) if f is not None))
        except KeyReusedError as reused:
            messages.warning(
                request,
                _(
                    "Cette demande était déjà enregistrée : la voici. Les modifications faites "
                    "ensuite dans le formulaire ne l'ont pas été ; ajoutez-les dans une note."
                ),
            )
            created = created_from(reused.first.body)
        except KeyInProgressError:
            messages.error(
                request,
                _(
                    "La demande est en cours d'enregistrement. Patientez quelques secondes, puis "
                    "envoyez le formulaire à nouveau : elle ne sera pas enregistrée deux fois."
                ),
            )
            return None
    if created is None:
        messages.error(
            request, _("La demande n'est pas enregistrée : corrigez les champs signalés.")
        )
        return None
    remembered = request.session.get(SESSION_KEY, {})
    remembered[created.reference] = "appended" if created.appended else "created"
    request.session[SESSION_KEY] = dict(list(remembered.items())[-20:])
    return redirect("backoffice:new_ticket_done", reference=created.reference)


@require_GET
@agent_required
def new_ticket_done(request: AgentRequest, reference: str) -> HttpResponse:
    """The reference in large type, to read out to the caller (whichever service handles it)."""
    outcome = request.session.get(SESSION_KEY, {}).get(reference)
    if outcome is None:
        raise Http404
    return render(
        request,
        "backoffice/new_ticket_done.html",
        {
            "reference": reference,
            # The caller's earlier request on the same matter took it as a follow-up.
            "appended": outcome == "appended",
            "service_name": created_ticket_service_name(reference),
            "can_open": ticket_is_visible(request.user, reference),
        },
    )


@require_GET
@agent_required
def type_fields(request: AgentRequest) -> HttpResponse:
    """HTMX: the structured fields of the démarche just chosen (empty without one)."""
    request_type_id = positive_int(request.GET.get("request_type"))
    chosen = agent_request_types().filter(pk=request_type_id).first() if request_type_id else None
    # The fields of its published form, never the draft.
    request_type = request_type_with_fields(chosen.slug, include_internal=True) if chosen else None
    fields_form = demarche_fields_form(request_type, files_required=False) if request_type else None
    return render(
        request,
        "backoffice/new_ticket.html#type_fields",
        {
            "fields_form": fields_form,
            "request_type": request_type,
        },
    )


@require_GET
@agent_required
def requester_search_view(request: AgentRequest) -> HttpResponse:
    """HTMX: requesters matching the search box, with their open tickets."""
    query = clean_text(request.GET.get("q"))
    return render(
        request,
        "backoffice/new_ticket.html#requester_results",
        {
            "query": query,
            "requesters": requester_search(request.user, query),
        },
    )


@require_GET
@agent_required
def requester_fields(request: AgentRequest) -> HttpResponse:
    """HTMX: the requester fields filled with the requester the agent picked."""
    form = NewTicketForm(initial=_initial_requester(request))
    return render(request, "backoffice/new_ticket.html#requester_fields", {"form": form})
