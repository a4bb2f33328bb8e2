"""The ticket page for agents: facts, structured values, files, timeline, mails and action
forms."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.ticket_actions import (
    LETTER_ADDRESS_MAX_LENGTH,
    AssignForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TransferForm,
)
from parvis.backoffice.forms.workflow import TransitionForm
from parvis.backoffice.selectors import other_tickets_count, ticket_panels
from parvis.backoffice.timeline import same_matter_flag, timeline_entries, triage_suggestions
from parvis.backoffice.views.workflow import workflow_panel
from parvis.bookings.selectors import ticket_bookings
from parvis.bookings.slots import binding_of
from parvis.catalog.forms import field_display_rows
from parvis.catalog.models import RequestType
from parvis.catalog.selectors import request_type_with_fields, ticket_form_fields
from parvis.catalog.vocabulary import LegalDeadline
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.knowledge.canned import canned_responses_for_agent, fill_placeholders
from parvis.mailin.selectors import ticket_originals
from parvis.notifications.selectors import ticket_mails
from parvis.sla.computation import ticket_deadline
from parvis.sla.selectors import due_state, due_state_labels
from parvis.tickets.file_types import name_for_type
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import (
    agent_attachment,
    member_service_ids,
    ticket_followers,
    ticket_for_agent,
    ticket_form_attachments,
    ticket_timeline,
)


@require_GET
@agent_required
def ticket_detail(request: AgentRequest, reference: str) -> HttpResponse:
    ticket = ticket_for_agent(request.user, reference)
    return render_ticket_page(request, ticket)


def render_ticket_page(
    request: AgentRequest, ticket: Ticket, *, bound: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    """The ticket page; ``bound`` is an action form that failed and comes back with its errors."""
    user = request.user
    by_email = bool(ticket.requester_email)
    action_forms: dict[str, forms.Form] = {
        "reply_form": ReplyForm(by_email=by_email),
        "note_form": NoteForm(),
        "assign_form": AssignForm(ticket=ticket),
        "status_form": StatusForm(ticket=ticket),
        "transfer_form": TransferForm(ticket=ticket),
        "priority_form": PriorityForm(ticket=ticket),
        "merge_form": MergeForm(),
    }
    if bound is not None:
        for name, form in action_forms.items():
            if type(form) is type(bound):
                action_forms[name] = bound
    assign_look = _assign_look(action_forms["assign_form"], ticket)
    looks = {
        "reply_form": (by_email,),
        "note_form": (),
        "status_form": (ticket.status,),
        "priority_form": (ticket.priority,),
        "transfer_form": (ticket.service_id,),  # the other services: from the catalogue
        "merge_form": (),
        "assign_form": assign_look,
    }
    fields_html = {
        f"{name}_fields": form_fields_html(form, looks.get(name))
        for name, form in action_forms.items()
    }
    events = ticket_timeline(ticket, public_only=False)
    originals = ticket_originals(events)
    request_type = _with_fields(ticket.request_type)
    panels = ticket_panels(ticket)
    context: dict[str, Any] = {
        "ticket": ticket,
        "workflow": workflow_panel(
            user, ticket, events, bound if isinstance(bound, TransitionForm) else None
        ),
        "field_rows": field_display_rows(
            ticket_form_fields(ticket.form_version_id, ticket.request_type_id)
            if ticket.request_type_id
            else None,
            ticket.field_values,
        ),
        "form_attachments": ticket_form_attachments(ticket) if panels.form_attachments else [],
        "timeline": timeline_entries(events, originals.by_message, dict(assign_look[2])),
        "opening_original": originals.opening,
        "suggestions": triage_suggestions(events, ticket.service_id),
        "same_matter": same_matter_flag(events, ticket),
        "followers": ticket_followers(ticket) if panels.followers else [],
        "mails": ticket_mails(ticket) if panels.mails else [],
        "deadline": deadline_shown(ticket),
        # A query only on the tickets of a démarche that books a room or equipment.
        "bookings": ticket_bookings(ticket) if binding_of(request_type) else [],
        "email_failing_since": ticket.requester.failing_since(ticket.requester_email),
        "other_tickets_count": other_tickets_count(user, ticket),
        "requester_tickets_url": reverse("backoffice:queue")
        + "?"
        + urlencode({"view": "all", "q": ticket.requester_email or ticket.requester_name}),
        "is_member_of_service": ticket.service_id in member_service_ids(user),
        "has_errors": bound is not None,
        "address_max_length": LETTER_ADDRESS_MAX_LENGTH,
        "canned_responses": _canned_responses(user, ticket),
        **action_forms,
        **fields_html,
    }
    return render(request, "backoffice/ticket.html", context, status=status)


def _canned_responses(user: Any, ticket: Ticket) -> list[dict[str, str]]:
    """The canned responses of the agent's services, filled in for this ticket (one query)."""
    return [
        {
            "title": canned.title,
            "service_name": canned.service.name,
            "text": fill_placeholders(canned.body, ticket=ticket, agent=user),
        }
        for canned in canned_responses_for_agent(user)
    ]


def deadline_shown(ticket: Ticket) -> dict[str, Any]:
    """The ticket's deadlines, their state ("bientôt due", "en retard") and its legal one."""
    deadline = ticket_deadline(ticket)
    state = due_state(deadline, timezone.now())
    return {
        "row": deadline,
        "state": state,
        "state_label": due_state_labels().get(state, ""),
        "legal_label": LegalDeadline(deadline.legal_deadline).label
        if deadline.legal_deadline in LegalDeadline.values
        else "",
    }


def _with_fields(request_type: RequestType | None) -> RequestType | None:
    """The démarche with its fields from the catalogue copy (a query saved), if still active."""
    if request_type is None:
        return None
    return request_type_with_fields(request_type.slug, include_internal=True) or request_type


def form_fields_html(form: forms.Form, look: tuple[object, ...] | None) -> SafeString:
    """The form's errors and fields as HTML.

    An unbound form whose HTML depends only on ``look`` (its class, the ticket's status…),
    on code and on the catalogue (the transfer form's services) is rendered once per
    process and catalogue version: the six action forms were 40 % of the ticket page's time
    (docs/benchmarks.md). The agents of the assignment list change without a catalogue
    version: that form's ``look`` holds them, as read for this page.
    """
    if form.is_bound or look is None:
        return _render_fields(form)
    key = f"ticket-page-form:{type(form).__name__}:{get_language()}:{look}"
    return memo(CATALOGUE, key, lambda: _render_fields(form))


def _assign_look(
    form: forms.Form, ticket: Ticket
) -> tuple[int, int | None, tuple[tuple[int, str], ...]]:
    """What the assignment list shows: the service's agents as read now, and who is chosen."""
    field = form.fields["assignee"]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    agents = tuple((user.pk, field.label_from_instance(user)) for user in field.queryset)
    return (ticket.service_id, ticket.assignee_id, agents)


def _render_fields(form: forms.Form) -> SafeString:
    return mark_safe(render_to_string("backoffice/_form_fields.html", {"form": form}))  # noqa: S308


@require_GET
@agent_required
def attachment_download(request: AgentRequest, attachment_id: int) -> FileResponse:
    """A file of a ticket this agent sees, always downloaded (never rendered by the browser)."""
    attachment = agent_attachment(request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Ce fichier est introuvable.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name_for_type(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
