"""What a citizen sees of bookings: a day's free and taken hours, and a resource's feed.

The availability is the fragment the booking form asks for (HTMX) when the resource or the
date changes: hours only, never who booked. The request itself is checked again by
``intake_submit`` (a slot taken meanwhile is refused on its field).
"""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parvis.bookings.ical import resource_feed
from parvis.bookings.selectors import (
    bookable_resource,
    day_availability,
    feed_slots,
    resource_by_feed_token,
)
from parvis.bookings.slots import binding_of
from parvis.catalog.selectors import request_type_with_fields
from parvis.intake.forms import FIELDS_PREFIX


def field_name(key: str) -> str:
    """The name of a démarche field's input in the portal's form."""
    return f"{FIELDS_PREFIX}-{key}"


@require_GET
def availability(request: HttpRequest, slug: str) -> HttpResponse:
    request_type = request_type_with_fields(slug)
    binding = binding_of(request_type)
    if request_type is None or binding is None:
        raise Http404
    resource = bookable_resource(request_type.pk, request.GET.get(field_name(binding.resource), ""))
    day = _day(request.GET.get(field_name(binding.start_date), ""))
    context: dict[str, object] = {"resource": resource, "day": day, "periods": []}
    if resource is not None and day is not None:
        next_midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        context["periods"] = [
            {
                "starts_at": period.starts_at,
                "ends_at": period.ends_at,
                # The day's last period ends at midnight: « 24:00 » reads better than « 00:00 ».
                "ends_at_midnight": period.ends_at.replace(tzinfo=None) == next_midnight,
                "taken": period.taken,
            }
            for period in day_availability(resource, day)
        ]
    response = render(request, "portal/includes/availability.html", context)
    response["Cache-Control"] = "no-store"  # a slot approved a minute later must show
    return response


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@require_GET
def resource_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The resource's approved slots as iCalendar, for whoever holds its secret address."""
    resource = resource_by_feed_token(token)
    if resource is None:
        raise Http404
    response = HttpResponse(
        resource_feed(resource, feed_slots(resource)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{resource.slug}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
