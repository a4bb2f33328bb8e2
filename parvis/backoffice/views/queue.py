"""The queue: tabs with counts, filters, sort and pagination; HTMX refreshes only the table."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.queue import (
    DUE_LABELS,
    SORT_LABELS,
    filters_querystring,
    parse_queue_filters,
)
from parvis.backoffice.queue_rows import queue_rows
from parvis.catalog.models import Service
from parvis.catalog.selectors import agent_request_types
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.tickets.models import Priority, Status
from parvis.tickets.selectors import (
    QUEUE_VIEWS,
    queue_counts,
    queue_page,
    services_for_agent,
)

PER_PAGE = 50


@require_GET
@vary_on_headers("HX-Request")
@agent_required
def queue(request: AgentRequest) -> HttpResponse:
    user = request.user
    services = list(
        Service.objects.order_by("position", "name")
        if user.is_superuser
        else services_for_agent(user).order_by("position", "name")
    )
    filters = parse_queue_filters(request.GET, service_ids={s.pk for s in services})
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    counts = None if partial else queue_counts(user)
    page = queue_page(user, filters, request.GET.get("page", "1"), PER_PAGE, counts=counts)
    context = {
        "filters": filters,
        "page": page,
        "rows": queue_rows(page.object_list),
        "services": services,
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "sorts": SORT_LABELS,
        "due_labels": DUE_LABELS,
        "querystring": filters_querystring(filters),
    }
    if counts is None:
        return render(request, "backoffice/queue.html#results", context)
    context |= {
        "tabs": [(key, label, counts.get(key)) for key, label in QUEUE_VIEWS.items()],
        "request_type_groups": _request_type_groups(),
    }
    return render(request, "backoffice/queue.html", context)


RequestTypeGroups = tuple[tuple[str, tuple[tuple[int, str], ...]], ...]


def _request_type_groups() -> RequestTypeGroups:
    """The démarche filter's options, grouped by service (kept with the catalogue's version)."""
    return memo(CATALOGUE, "agent-request-type-groups", _load_request_type_groups)


def _load_request_type_groups() -> RequestTypeGroups:
    groups: dict[str, list[tuple[int, str]]] = {}
    for request_type in agent_request_types():
        groups.setdefault(request_type.service.name, []).append(
            (request_type.pk, request_type.name)
        )
    return tuple((service, tuple(types)) for service, types in groups.items())
