"""Finding one's request again: reference + email → the tracking link is emailed.

The answer is the same whether or not the pair exists, so that the page cannot be used to
learn who filed which request; attempts are limited per client address.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from parvis.core.ratelimit import attempt_allowed, client_ip
from parvis.portal.errors import error_summary
from parvis.portal.forms import TrackLookupForm
from parvis.tickets.actions import ticket_send_tracking_link
from parvis.tickets.selectors import ticket_by_reference_and_email

SENT_MESSAGE = gettext_lazy(
    "Si une demande correspond à ce numéro et à cette adresse, un lien de suivi vient de vous "
    "être envoyé par courriel."
)


def track_lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # Prefilled when a request was just added to this one (``submit``).
        reference = request.GET.get("reference", "")[:20]
        return _render(request, TrackLookupForm(initial={"reference": reference}))
    form = TrackLookupForm(request.POST)
    allowed = attempt_allowed(
        "tracking-lookup",
        client_ip(request),
        limit=settings.PARVIS_TRACKING_LOOKUP_LIMIT,
        window=settings.PARVIS_TRACKING_LOOKUP_WINDOW,
    )
    if not allowed:
        return _render(request, form, throttled=True, status=429)
    if not form.is_valid():
        return _render(request, form, status=400)
    ticket = ticket_by_reference_and_email(
        form.cleaned_data["reference"], form.cleaned_data["email"]
    )
    if ticket is not None:
        ticket_send_tracking_link(ticket=ticket)
    messages.success(request, SENT_MESSAGE)
    return redirect("portal:track_lookup")


def _render(
    request: HttpRequest, form: TrackLookupForm, *, throttled: bool = False, status: int = 200
) -> HttpResponse:
    minutes = max(1, settings.PARVIS_TRACKING_LOOKUP_WINDOW // 60)
    context = {
        "form": form,
        "errors": [] if throttled else error_summary(form),
        "throttled": throttled,
        "retry_minutes": minutes,
    }
    return render(request, "portal/track_lookup.html", context, status=status)
