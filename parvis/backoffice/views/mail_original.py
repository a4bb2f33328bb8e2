"""A ticket's text as the citizen's mail carried it: all of it, headers and quoted history.

The ticket page shows the cleaned text; this page, opened from "Afficher le message
d'origine", reads the stored message again. Access is the ticket's (checked and, for a
confidential ticket, logged by ``ticket_for_agent``).
"""

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.mailin.models import InboundMessage
from parvis.mailin.selectors import original_mail, ticket_original
from parvis.privacy.models import AccessContext
from parvis.tickets.selectors import ticket_for_agent


@require_GET
@agent_required
def mail_original(request: AgentRequest, reference: str, inbound_id: int) -> HttpResponse:
    ticket = ticket_for_agent(request.user, reference)
    inbound = ticket_original(ticket, inbound_id)
    context = {"ticket": ticket, "inbound": inbound, "mail": original_mail(inbound)}
    return render(request, "backoffice/mail_original.html", context)


@require_GET
@agent_required
def mail_original_eml(request: AgentRequest, reference: str, inbound_id: int) -> HttpResponseBase:
    ticket = ticket_for_agent(request.user, reference, context=AccessContext.ATTACHMENT)
    return eml_response(ticket_original(ticket, inbound_id))


def eml_response(inbound: InboundMessage) -> HttpResponse:
    """The message byte for byte, always downloaded: never rendered by the browser."""
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="courriel-{inbound.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
