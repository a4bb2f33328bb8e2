"""Rooms and equipment for agents: the resources of their services, a resource's week, and
the decision on a booking (approve, refuse, cancel) from the ticket page.

Each decision is a POST to its own URL calling the action, then back to the ticket with a
notice; a refusal from the action (the slot was taken meanwhile) comes back as an error.
"""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parvis.accounts.models import User
from parvis.backoffice.access import AgentRequest, agent_required
from parvis.bookings.actions import booking_approve, booking_cancel, booking_refuse
from parvis.bookings.models import Booking
from parvis.bookings.selectors import booking_for_agent, resource_for_agent, resources_for_agent
from parvis.bookings.selectors import week_calendar as calendar_days


@require_GET
@agent_required
def resources(request: AgentRequest) -> HttpResponse:
    context = {"resources": list(resources_for_agent(request.user)), "nav_active": "resources"}
    return render(request, "backoffice/resources.html", context)


@require_GET
@agent_required
def week_calendar(request: AgentRequest, resource_id: int) -> HttpResponse:
    resource = resource_for_agent(request.user, resource_id)
    monday = _monday(request.GET.get("semaine", ""))
    feed_url = request.build_absolute_uri(
        reverse("portal:resource_feed", args=[resource.feed_token])
    )
    context = {
        "resource": resource,
        "days": calendar_days(resource, monday),
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
        "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
        "this_week": _monday("").isoformat(),
        "feed_url": feed_url,
        "nav_active": "resources",
    }
    return render(request, "backoffice/resource_week.html", context)


def _monday(text: str) -> datetime.date:
    """The Monday of the week holding the date given (this week's, for none or a bad one)."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        day = timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


Decision = Callable[..., Booking]


def _decide(request: AgentRequest, booking_id: int, action: Decision, done: str) -> HttpResponse:
    booking = booking_for_agent(request.user, booking_id)
    actor: User = request.user
    try:
        action(booking=booking, actor=actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(reverse("backoffice:ticket", args=[booking.ticket.reference]) + "#reservation")


@require_POST
@agent_required
def approve(request: AgentRequest, booking_id: int) -> HttpResponse:
    return _decide(request, booking_id, booking_approve, _("Réservation accordée."))


@require_POST
@agent_required
def refuse(request: AgentRequest, booking_id: int) -> HttpResponse:
    return _decide(request, booking_id, booking_refuse, _("Réservation refusée."))


@require_POST
@agent_required
def cancel(request: AgentRequest, booking_id: int) -> HttpResponse:
    return _decide(request, booking_id, booking_cancel, _("Réservation annulée."))
