"""Before reporting a pothole: the open reports of the same démarche near the place, and
following one of them instead of filing it again.

The request form of a public-space démarche (``RequestType.nearby_radius_m``) asks for the
place as a point too ("Utiliser ma position", or typed coordinates); as soon as it is set,
``portal.js`` asks ``nearby_reports`` (HTMX) for the open reports around it. Each has
"Suivre ce signalement", a link to ``nearby_follow``: name, email, consent, and the citizen
follows that ticket (its updates reach them) and no new ticket is made. Without JavaScript
the list is a page of its own (the form's "Voir les signalements proches" link is not
needed: the citizen can always file), and the follow page is a plain form.

Threat model. Anyone may call these URLs, for any point, as often as the limit allows:

- What a list shows is what a passer-by sees in the street: the démarche (the kind of
  problem), the street as the reporter typed it, cut to the street's kind and name
  (``portal.nearby.street_of``: no house number, nothing after a comma or a word such as
  "devant", "chez"; nothing when no street is recognised), the distance rounded to 10 m and
  a compass point, the day it was reported, the public status. Never a name, an email, a
  phone, the description, a field value, a file, the reference or the tracking token (which
  open the tracking page and the look-up by reference), nor the exact coordinates.
- Which démarches: only those an administrator made public-space reports; never a
  confidential one or a confidential ticket (``routing.nearby``), never one where the place
  of a request is itself private (tranquillité vacances: empty homes; noise: a neighbour):
  the catalogue and the admin leave them without a radius. A démarche that is not a
  public-space report answers 404.
- Scanning the commune point by point to map every report: each look-up counts against
  ``PARVIS_NEARBY_LOOKUP_LIMIT`` per client address and window (``core.ratelimit``), and what
  it would map is public-space problems, which the street shows anyway.
- "Follow" names the report with a signed token (``portal.nearby.follow_token``, valid one
  day): an id cannot be guessed or changed to follow another ticket, a confidential one or a
  ticket that was never listed. Following is a request made with an email address: it
  counts against the per-client limit of the form and the per-address limit of intake
  (``intake.follow``), so that it cannot be used to send the mairie's mail to someone else's
  mailbox in bulk; the confirmation page says the same whether or not the person already
  followed the report, and tells nothing of the ticket's requester.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.vary import vary_on_headers

from parvis.catalog.models import RequestType
from parvis.catalog.selectors import request_type_with_fields
from parvis.core.ratelimit import attempt_allowed, client_ip
from parvis.intake.errors import add_validation_error
from parvis.intake.follow import intake_follow_nearby_report
from parvis.intake.throttling import SubmissionThrottled, client_submission_check
from parvis.portal.errors import error_summary
from parvis.portal.forms import NearbyFollowForm, NearbyPlaceForm
from parvis.portal.nearby import (
    PublicReport,
    followed_report,
    followed_ticket_id,
    public_reports,
)
from parvis.tickets.structures import RequesterData


@vary_on_headers("HX-Request")
def nearby_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """The open reports near ``location_lat``/``location_lon``: a fragment for HTMX, else a page."""
    request_type = _public_space_demarche(slug)
    partial = bool(getattr(request, "htmx", False))
    # htmx swaps no 4xx answer: the fragment says what went wrong with a 200.
    context: dict[str, object] = {"request_type": request_type, "reports": [], "asked": False}
    status = 200
    allowed = attempt_allowed(
        "nearby-reports",
        client_ip(request),
        limit=settings.PARVIS_NEARBY_LOOKUP_LIMIT,
        window=settings.PARVIS_NEARBY_LOOKUP_WINDOW,
    )
    place = NearbyPlaceForm(request.GET)
    if not allowed:
        context["throttled"] = True
        context["retry_minutes"] = max(1, settings.PARVIS_NEARBY_LOOKUP_WINDOW // 60)
        status = 429
    elif place.is_valid():
        context["asked"] = True
        context["reports"] = public_reports(
            request_type, place.cleaned_data["location_lat"], place.cleaned_data["location_lon"]
        )
    elif request.GET:
        context["invalid"] = True
        status = 400
    template = "portal/includes/nearby_reports.html" if partial else "portal/nearby.html"
    return render(request, template, context, status=200 if partial else status)


def nearby_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow the report a list named (its signed token) instead of filing a new one."""
    request_type = _public_space_demarche(slug)
    token = str(request.POST.get("report") or request.GET.get("report") or "")
    ticket_id = followed_ticket_id(token)
    report = None if ticket_id is None else followed_report(request_type, ticket_id)
    if ticket_id is None or report is None:
        return _render_follow(request, request_type, NearbyFollowForm(), token, None)
    if request.method != "POST":
        return _render_follow(request, request_type, NearbyFollowForm(), token, report)
    form = NearbyFollowForm(request.POST)
    if not form.is_valid():
        return _render_follow(request, request_type, form, token, report, status=400)
    try:
        client_submission_check(client_ip(request))
        intake_follow_nearby_report(
            ticket_id=ticket_id,
            requester=RequesterData(
                name=form.cleaned_data["name"].strip(), email=form.cleaned_data["email"]
            ),
        )
    except SubmissionThrottled as error:
        add_validation_error(error, form)
        return _render_follow(request, request_type, form, token, report, status=429)
    except ValidationError as error:
        add_validation_error(error, form)
        return _render_follow(request, request_type, form, token, report, status=400)
    return redirect("portal:nearby_followed", slug=request_type.slug)


def nearby_followed(request: HttpRequest, slug: str) -> HttpResponse:
    """Where following leads: what happens next, and the way to file anyway."""
    request_type = _public_space_demarche(slug)
    return render(request, "portal/nearby_followed.html", {"request_type": request_type})


def _public_space_demarche(slug: str) -> RequestType:
    request_type = request_type_with_fields(slug)
    if request_type is None or not request_type.is_public_space_report:
        raise Http404
    return request_type


def _render_follow(
    request: HttpRequest,
    request_type: RequestType,
    form: NearbyFollowForm,
    token: str,
    report: PublicReport | None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The follow page; without a report (a link forged, too old, or a report closed since),
    only the way back to the form."""
    context = {
        "request_type": request_type,
        "form": form,
        "token": token,
        "report": report,
        "errors": error_summary(form) if form.is_bound else [],
    }
    return render(
        request, "portal/nearby_follow.html", context, status=400 if report is None else status
    )
