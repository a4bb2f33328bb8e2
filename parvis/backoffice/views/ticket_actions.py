"""The actions on a ticket: each a POST to its own URL, then back to the page with a notice.

Invalid input re-renders the ticket page with the form's errors and the text kept.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.ticket_actions import (
    AssignForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TransferForm,
)
from parvis.backoffice.selectors import ticket_is_visible
from parvis.backoffice.views.ticket import render_ticket_page
from parvis.intake.forms import FollowUpForm
from parvis.privacy.models import AccessContext
from parvis.tickets import actions
from parvis.tickets.models import Priority, Status, Ticket
from parvis.tickets.selectors import (
    ticket_event,
    ticket_followers,
    ticket_for_agent,
    ticket_for_follow_up,
)
from parvis.workflows.selectors import ticket_step

TicketAction = Callable[[AgentRequest, Ticket], HttpResponseBase]


def ticket_action(view: TicketAction) -> Callable[..., HttpResponseBase]:
    """POST only, agents only, on a ticket this agent sees (else 404)."""

    @wraps(view)
    def wrapper(request: AgentRequest, reference: str) -> HttpResponseBase:
        ticket = ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
        return view(request, ticket)

    return require_POST(agent_required(wrapper))


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("backoffice:ticket", reference=ticket.reference)


def _invalid(
    request: AgentRequest,
    ticket: Ticket,
    form: ReplyForm | NoteForm | AssignForm | StatusForm | TransferForm | PriorityForm | MergeForm,
) -> HttpResponse:
    messages.error(request, _("L'action n'a pas été enregistrée : corrigez le formulaire signalé."))
    return render_ticket_page(request, ticket, bound=form)


@ticket_action
def reply(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = ReplyForm(request.POST, request.FILES, by_email=bool(ticket.requester_email))
    if not form.is_valid():
        return _invalid(request, ticket, form)
    actions.ticket_reply(
        ticket=ticket,
        actor=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
        wait_for_citizen=form.cleaned_data["wait_for_citizen"],
    )
    if ticket.requester_email:
        messages.success(
            request, _("Réponse envoyée à %(email)s.") % {"email": ticket.requester_email}
        )
    else:
        messages.warning(
            request,
            _(
                "Réponse enregistrée, mais pas envoyée : l'usager n'a pas de courriel. "
                "Imprimez-la en courrier (sous la réponse, dans l'historique) ou appelez-le."
            ),
        )
    return _back(ticket)


@ticket_action
def note(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    actions.ticket_add_note(
        ticket=ticket,
        actor=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )
    messages.success(request, _("Note interne enregistrée."))
    return _back(ticket)


@ticket_action
def assign(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = AssignForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    if "me" in request.POST:
        assignee = request.user
    elif "unassign" in request.POST:
        assignee = None
    else:
        assignee = form.cleaned_data["assignee"]
    try:
        actions.ticket_assign(ticket=ticket, actor=request.user, assignee=assignee)
    except ValidationError as error:
        form.add_error("assignee", error)
        return _invalid(request, ticket, form)
    if assignee is None:
        messages.success(request, _("La demande n'est plus attribuée."))
    elif assignee == request.user:
        messages.success(request, _("La demande vous est attribuée."))
    else:
        messages.success(request, _("La demande est attribuée à %(agent)s.") % {"agent": assignee})
    return _back(ticket)


@ticket_action
def change_status(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = StatusForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    if ticket_step(ticket) is not None:  # its workflow's buttons say where it may go
        messages.error(
            request, _("Cette demande suit un circuit de traitement : utilisez ses étapes.")
        )
        return _back(ticket)
    status = Status(form.cleaned_data["status"])
    try:
        actions.ticket_change_status(ticket=ticket, actor=request.user, status=status)
    except ValidationError as error:  # another agent moved it meanwhile
        form.add_error("status", error)
        return _invalid(request, ticket, form)
    messages.success(request, _("Statut : %(status)s.") % {"status": status.label})
    return _back(ticket)


@ticket_action
def set_priority(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = PriorityForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    priority = Priority(form.cleaned_data["priority"])
    actions.ticket_set_priority(ticket=ticket, actor=request.user, priority=priority)
    messages.success(request, _("Priorité : %(priority)s.") % {"priority": priority.label})
    return _back(ticket)


@ticket_action
def transfer(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    form = TransferForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    service = form.cleaned_data["service"]
    try:
        actions.ticket_transfer(
            ticket=ticket,
            actor=request.user,
            to_service=service,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, ticket, form)
    if not ticket_is_visible(request.user, ticket.reference):
        messages.success(
            request,
            _(
                "La demande %(reference)s est transférée au service %(service)s ; "
                "elle ne figure plus parmi vos demandes."
            )
            % {"reference": ticket.reference, "service": service.name},
        )
        return redirect("backoffice:queue")
    messages.success(
        request, _("La demande est transférée au service %(service)s.") % {"service": service.name}
    )
    return _back(ticket)


@require_POST
@agent_required
def resend_mail(request: AgentRequest, reference: str, event_id: int) -> HttpResponseBase:
    """Send the acknowledgement or a reply again (the citizen lost it, or it went to spam)."""
    ticket = ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
    event = ticket_event(ticket, event_id)
    try:
        actions.ticket_resend_mail(ticket=ticket, actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le courriel est renvoyé à %(email)s.") % {"email": ticket.requester_email},
        )
    return _back(ticket)


@require_POST
@agent_required
def record_follow_up(request: AgentRequest, reference: str) -> HttpResponseBase:
    """The citizen calls or comes again about an open ticket: a follow-up, not a new ticket.

    Any agent at the front desk may record it on a non-confidential ticket of another
    service; they are then sent back to the phone form rather than to a page they cannot see.
    """
    ticket = ticket_for_follow_up(request.user, reference)
    visible = bool(getattr(ticket, "visible_to_agent", False))
    back = _back(ticket) if visible else redirect("backoffice:new_ticket")
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La relance n'a pas été enregistrée : le message est trop long."))
        return back
    try:
        actions.ticket_add_citizen_message(
            ticket=ticket,
            body=form.message_body(),
            is_follow_up=True,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request,
        ngettext(
            "Relance enregistrée sur la demande %(reference)s du service %(service)s "
            "(%(count)s relance).",
            "Relance enregistrée sur la demande %(reference)s du service %(service)s "
            "(%(count)s relances).",
            ticket.follow_up_count,
        )
        % {
            "reference": ticket.reference,
            "service": ticket.service.name,
            "count": ticket.follow_up_count,
        },
    )
    return back


@ticket_action
def merge(request: AgentRequest, ticket: Ticket) -> HttpResponseBase:
    """Merge this ticket into another: first a page that says what will happen, then done.

    The other ticket is read as any ticket page reads it (visibility, access log); one the
    agent may not open is refused as a number that does not exist.
    """
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ticket, form)
    try:
        target = ticket_for_agent(
            request.user, form.cleaned_data["target"], context=AccessContext.TICKET_ACTION
        )
    except Http404:
        form.add_error(
            "target",
            _("Aucune demande n° %(reference)s que vous puissiez consulter.")
            % {"reference": form.cleaned_data["target"]},
        )
        return _invalid(request, ticket, form)
    if not form.cleaned_data["confirm"]:
        return render(
            request,
            "backoffice/merge_confirm.html",
            {"source": ticket, "target": target, "followers": ticket_followers(ticket)},
        )
    try:
        actions.ticket_merge(source=ticket, target=target, actor=request.user)
    except ValidationError as error:
        form.add_error("target", error)
        return _invalid(request, ticket, form)
    messages.success(
        request,
        _(
            "La demande %(source)s a été fusionnée dans celle-ci et clôturée ; son demandeur "
            "recevra les nouvelles de cette demande."
        )
        % {"source": ticket.reference},
    )
    return _back(target)
