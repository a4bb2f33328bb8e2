"""A reply printed as a letter (PDF), for a citizen the commune reaches by post."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.ticket_actions import LetterForm
from parvis.notifications.letters import letter_filename, letter_pdf, reply_letter
from parvis.privacy.models import AccessContext
from parvis.tickets.actions import ticket_record_letter
from parvis.tickets.selectors import ticket_for_agent, ticket_reply_message


@require_POST
@agent_required
def letter(request: AgentRequest, reference: str, message_id: int) -> HttpResponseBase:
    """The PDF of one reply of a ticket this agent sees, to the address typed; recorded."""
    ticket = ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
    message = ticket_reply_message(ticket, message_id)
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["address"]))
        return redirect("backoffice:ticket", reference=ticket.reference)
    ticket_record_letter(ticket=ticket, message=message, actor=request.user)
    pdf = letter_pdf(
        reply_letter(ticket=ticket, message=message, address=form.cleaned_data["address"])
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(ticket)}"'
    response["Cache-Control"] = "private, no-store"  # a person's letter: kept by no cache
    return response
