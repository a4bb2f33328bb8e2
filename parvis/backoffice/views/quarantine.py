"""The quarantine: received mail that could not be processed, read and settled by an administrator.

Each message can be processed again (the cause fixed), set aside, or put on the ticket it
belongs to; each of these is an action of ``mailin.actions``, recorded, and shown on the
message's page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parvis.backoffice.access import AgentRequest, staff_required
from parvis.backoffice.forms.quarantine import AttachForm
from parvis.backoffice.views.mail_original import eml_response
from parvis.mailin.actions import inbound_attach, inbound_discard, inbound_retry
from parvis.mailin.models import InboundMessage
from parvis.mailin.selectors import (
    error_summary,
    original_mail,
    quarantine_page,
    quarantined_message,
)


@require_GET
@staff_required
def quarantine(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/quarantine.html",
        {
            "page": quarantine_page(request.user, request.GET.get("page", "1")),
            "nav_active": "quarantine",
        },
    )


@require_GET
@staff_required
def quarantine_message(request: AgentRequest, inbound_id: int) -> HttpResponse:
    inbound = quarantined_message(request.user, inbound_id)
    return _render_message(request, inbound, AttachForm())


def _render_message(
    request: AgentRequest, inbound: InboundMessage, form: AttachForm, status: int = 200
) -> HttpResponse:
    context = {
        "inbound": inbound,
        "mail": original_mail(inbound),
        "error_summary": error_summary(inbound.error),
        "is_quarantined": inbound.state == InboundMessage.State.QUARANTINED,
        "attach_form": form,
        "eml_url_name": "backoffice:quarantine_eml",
        "nav_active": "quarantine",
    }
    return render(request, "backoffice/quarantine_message.html", context, status=status)


@require_GET
@staff_required
def quarantine_eml(request: AgentRequest, inbound_id: int) -> HttpResponseBase:
    return eml_response(quarantined_message(request.user, inbound_id))


@require_POST
@staff_required
def retry(request: AgentRequest, inbound_id: int) -> HttpResponseBase:
    inbound = quarantined_message(request.user, inbound_id)
    after = inbound_retry(inbound, actor=request.user)
    if after.state == InboundMessage.State.PROCESSED:
        messages.success(
            request,
            _("Message traité : %(outcome)s.") % {"outcome": after.get_outcome_display()},
        )
        return redirect("backoffice:quarantine")
    if after.state == InboundMessage.State.QUARANTINED:
        messages.error(request, _("Le traitement a encore échoué : voyez l'erreur ci-dessous."))
    else:
        messages.warning(request, _("Ce message n'était plus en quarantaine."))
    return redirect("backoffice:quarantine_message", inbound_id=inbound.pk)


@require_POST
@staff_required
def discard(request: AgentRequest, inbound_id: int) -> HttpResponseBase:
    inbound = quarantined_message(request.user, inbound_id)
    after = inbound_discard(inbound, actor=request.user)
    if after.state != InboundMessage.State.DISCARDED:
        messages.warning(request, _("Ce message n'était plus en quarantaine."))
        return redirect("backoffice:quarantine_message", inbound_id=inbound.pk)
    messages.success(request, _("Message écarté. Il reste conservé."))
    return redirect("backoffice:quarantine")


@require_POST
@staff_required
def attach(request: AgentRequest, inbound_id: int) -> HttpResponseBase:
    inbound = quarantined_message(request.user, inbound_id)
    form = AttachForm(request.POST)
    if form.is_valid():
        try:
            after = inbound_attach(
                inbound=inbound, reference=form.cleaned_data["reference"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("reference", error)
        else:
            assert after.ticket is not None
            messages.success(
                request,
                _("Message ajouté à la demande %(reference)s.")
                % {"reference": after.ticket.reference},
            )
            return redirect("backoffice:ticket", reference=after.ticket.reference)
    messages.error(request, _("Le message n'a pas été rattaché : corrigez le formulaire signalé."))
    return _render_message(request, quarantined_message(request.user, inbound_id), form, 400)
