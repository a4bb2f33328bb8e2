"""Read the queue's GET parameters defensively: anything malformed is ignored, never a 500."""

from collections.abc import Collection
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from parvis.tickets.models import Priority, Status
from parvis.tickets.selectors import DUE_FILTERS, QUEUE_VIEWS, SORTS, QueueFilters

SORT_LABELS = {
    "recent": _("Les plus récentes"),
    "oldest": _("Les plus anciennes"),
    "updated": _("Dernière mise à jour"),
    "priority": _("Priorité"),
    "reference": _("Numéro de suivi"),
    "due": _("Échéance la plus proche"),
}
DUE_LABELS = {"soon": _("Bientôt dues"), "overdue": _("En retard")}
QUERY_MAX_LENGTH = 200
_MAX_ID = 2**31 - 1


def positive_int(value: str | None) -> int | None:
    """An id-like integer, or None for anything else ("abc", "-3", "1e9", huge numbers)."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= _MAX_ID else None


def clean_text(value: str | None, max_length: int = QUERY_MAX_LENGTH) -> str:
    """Free text without control characters (PostgreSQL refuses NUL bytes)."""
    text = "".join(char for char in (value or "") if char.isprintable())
    return text.strip()[:max_length]


def parse_queue_filters(params: QueryDict, *, service_ids: Collection[int]) -> QueueFilters:
    """The filters of a queue URL; unknown values fall back to the defaults."""
    view = params.get("view", "")
    sort = params.get("sort", "")
    status = params.get("status", "")
    due = params.get("due", "")
    service = positive_int(params.get("service"))
    priority = positive_int(params.get("priority"))
    return QueueFilters(
        view=view if view in QUEUE_VIEWS else "open",
        service=service if service in service_ids else None,
        status=status if status in Status.values else "",
        priority=priority if priority in Priority.values else None,
        request_type=positive_int(params.get("request_type")),
        query=clean_text(params.get("q")),
        sort=sort if sort in SORTS else "recent",
        due=due if due in DUE_FILTERS else "",
    )


def filters_querystring(filters: QueueFilters, **overrides: object) -> str:
    """The query string of these filters (defaults left out), e.g. for tabs and pages."""
    values: dict[str, object] = {
        "view": filters.view,
        "service": filters.service,
        "status": filters.status,
        "priority": filters.priority,
        "request_type": filters.request_type,
        "q": filters.query,
        "sort": filters.sort,
        "due": filters.due,
    }
    values.update(overrides)
    defaults = {"view": "open", "sort": "recent"}
    kept = {k: v for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}
    return urlencode(kept)
