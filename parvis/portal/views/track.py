"""The tracking page behind a citizen's secret link: history, messages, follow-ups, files.

On a phone the page opens on what the citizen came for: the status and the service's last
answer; then the history and the message form. "Relancer" shows only when a follow-up makes
sense (``parvis.tickets.follow_ups``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.catalog.forms import field_display_rows
from parvis.catalog.selectors import ticket_form_fields
from parvis.intake.errors import add_validation_error
from parvis.intake.forms import FollowUpForm
from parvis.portal.acknowledgement import acknowledgement_due, acknowledgement_shown
from parvis.portal.address_proof import awaits_confirmation, confirm_if_proven, remember_proof
from parvis.portal.errors import error_summary
from parvis.portal.forms import MessageForm
from parvis.portal.http import private_link_page
from parvis.portal.timeline import citizen_timeline
from parvis.tickets.actions import ticket_add_citizen_message
from parvis.tickets.file_types import name_for_type
from parvis.tickets.follow_ups import follow_up_due
from parvis.tickets.models import Status, Ticket
from parvis.tickets.selectors import (
    public_attachment,
    ticket_by_tracking_token,
    ticket_form_attachments,
    ticket_timeline,
)
from parvis.workflows.selectors import public_step_label


@private_link_page()
def track(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_tracking_token(token, request.user)
    if remember_proof(request, ticket):
        # Followed from our mail: the proof goes to the session, out of the address bar.
        return redirect("portal:track", token=token)
    return _render(request, ticket, MessageForm(), _follow_up_form())


@private_link_page()
@require_POST
def confirm_address(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_tracking_token(token, request.user)
    if confirm_if_proven(request, ticket):
        messages.success(
            request,
            _(
                "Merci : votre adresse est confirmée. Nos prochains courriels reprendront le "
                "détail de vos demandes."
            ),
        )
    return redirect("portal:track", token=token)


@private_link_page()
@require_POST
def add_message(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_tracking_token(token, request.user)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_add_citizen_message(
                ticket=ticket,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_validation_error(error, form)
        else:
            confirm_if_proven(request, ticket)  # they answered from our mail's link
            messages.success(request, _("Votre message a bien été ajouté à votre demande."))
            return redirect("portal:track", token=token)
    return _render(request, ticket, form, _follow_up_form(), status=400)


@private_link_page()
@require_POST
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_tracking_token(token, request.user)
    form = _follow_up_form(request.POST)
    if not follow_up_due(ticket, ticket_timeline(ticket, public_only=True)):
        # A page left open since: what they typed moves to the message form, kept.
        messages.info(
            request,
            _(
                "Une relance n'est pas encore utile : votre demande vient d'être déposée, a "
                "reçu une réponse récemment ou n'est plus entre les mains du service. Votre "
                "texte est repris ci-dessous : envoyez-le comme message si vous le souhaitez."
            ),
        )
        typed = MessageForm(initial={"body": request.POST.get("relance-body", "")})
        return _render(request, ticket, typed, _follow_up_form(), status=409)
    if form.is_valid():
        try:
            ticket_add_citizen_message(ticket=ticket, body=form.message_body(), is_follow_up=True)
        except ValidationError as error:
            add_validation_error(error, form)
        else:
            confirm_if_proven(request, ticket)
            messages.success(request, _("Votre relance a bien été transmise au service."))
            return redirect("portal:track", token=token)
    return _render(request, ticket, MessageForm(), form, status=400)


def _follow_up_form(data: QueryDict | None = None) -> FollowUpForm:
    # Its own prefix: the page also holds the message form, whose field is also "body".
    return FollowUpForm(data, prefix="relance")


@private_link_page(referrer_policy="no-referrer")
def attachment(request: HttpRequest, token: str, attachment_id: int) -> FileResponse:
    found = public_attachment(token, attachment_id, request.user)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=name_for_type(found.original_name, found.content_type),
        content_type=found.content_type or "application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _render(
    request: HttpRequest,
    ticket: Ticket,
    message_form: MessageForm,
    follow_up_form: FollowUpForm,
    status: int = 200,
) -> HttpResponse:
    # The address typed on this ticket: never that of a requester found by phone.
    acknowledgement = (
        {"email": ticket.requester_email} if acknowledgement_due(request, ticket) else None
    )
    errors = error_summary(message_form, follow_up_form)
    events = ticket_timeline(ticket, public_only=True)
    timeline = citizen_timeline(events)
    # The fields of the form version it was filed under, for the values and the file labels.
    definitions = ticket_form_fields(ticket.form_version_id, ticket.request_type_id)
    labels = {f.key: f.label for f in definitions}
    context = {
        "ticket": ticket,
        "is_closed": ticket.status == Status.CLOSED,
        # Merged into another ticket (``ticket_merge``): where the matter goes on.
        "merged_into": ticket.merged_into if ticket.merged_into_id else None,
        "rows": field_display_rows(
            definitions if ticket.request_type_id else None, ticket.field_values
        ),
        "timeline": timeline,
        "step_label": public_step_label(ticket, events),
        "last_answer": next((item for item in reversed(timeline) if item.kind == "reply"), None),
        "follow_up_due": follow_up_due(ticket, events),
        "awaits_confirmation": awaits_confirmation(request, ticket),
        "form_attachments": [
            (a, labels.get(a.field_key, "")) for a in ticket_form_attachments(ticket) if a.is_public
        ],
        "message_form": message_form,
        "follow_up_form": follow_up_form,
        "errors": errors,
        "files_dropped": bool(errors and request.FILES),
        "acknowledgement": acknowledgement,
        "tracking_url": request.build_absolute_uri(
            reverse("portal:track", args=[ticket.tracking_token])
        ),
    }
    response = render(request, "portal/track.html", context, status=status)
    return acknowledgement_shown(response) if acknowledgement else response
