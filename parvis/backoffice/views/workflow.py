"""A workflow step on a ticket: the panel of the ticket page, and the POST of its buttons."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.models import User
from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.workflow import TransitionForm
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Event, Ticket
from parvis.tickets.selectors import ticket_for_agent
from parvis.workflows.actions import workflow_advance
from parvis.workflows.models import TicketWorkflow
from parvis.workflows.selectors import Button, ticket_buttons, ticket_step, transition_of


@dataclass(frozen=True)
class WorkflowPanel:
    """The ticket's step, its buttons this agent may press (with their forms), and the rest."""

    step: TicketWorkflow
    allowed: list[tuple[Button, TransitionForm]]
    reserved: list[Button]


def workflow_panel(
    user: User, ticket: Ticket, events: list[Event], bound: TransitionForm | None = None
) -> WorkflowPanel | None:
    """None for a ticket outside a workflow: known from its events, without a query (a ticket
    that follows one has its start recorded as a ``workflow_step`` event)."""
    if not any(event.kind == Event.Kind.WORKFLOW_STEP for event in events):
        return None
    step = ticket_step(ticket)
    if step is None:
        return None
    buttons = ticket_buttons(user, ticket, step)
    allowed = [
        (
            button,
            bound
            if bound is not None and bound.transition.pk == button.transition.pk
            else TransitionForm(transition=button.transition),
        )
        for button in buttons
        if button.allowed
    ]
    return WorkflowPanel(step, allowed, [button for button in buttons if not button.allowed])


@require_POST
@agent_required
def advance(request: AgentRequest, reference: str, transition_id: int) -> HttpResponseBase:
    from parvis.backoffice.views.ticket import render_ticket_page

    ticket = ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
    step = ticket_step(ticket)
    transition = transition_of(step, transition_id) if step else None
    if transition is None:
        raise Http404(_("Cette étape n'existe pas pour cette demande."))
    form = TransitionForm(request.POST, transition=transition)
    if form.is_valid():  # the lengths; the engine checks the rest, in its own words
        try:
            workflow_advance(
                ticket=ticket, transition=transition, actor=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, field_errors in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, field_errors)
            else:
                form.add_error(None, error.messages)
    if form.errors:
        messages.error(
            request, _("L'étape n'a pas été enregistrée : corrigez le formulaire signalé.")
        )
        return render_ticket_page(request, ticket, bound=form)
    messages.success(
        request, _("Étape enregistrée : %(status)s.") % {"status": transition.target.label}
    )
    return redirect("backoffice:ticket", reference=ticket.reference)
