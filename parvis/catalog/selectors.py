"""Reads of the catalogue for the portal and the back office."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db.models import Prefetch, QuerySet

from parvis.catalog.models import FormField, RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row, set_prefetched
from parvis.core.text import normalize


def public_request_types() -> QuerySet[RequestType]:
    return RequestType.objects.filter(
        is_active=True, visibility=RequestType.Visibility.PUBLIC, service__is_internal=False
    ).select_related("service")


def public_catalog() -> list[Service]:
    """Citizen-facing services, each with its public démarches (two queries)."""
    return list(
        Service.objects.filter(is_internal=False)
        .prefetch_related(
            Prefetch("request_types", queryset=public_request_types(), to_attr="public_types")
        )
        .order_by("position", "name")
    )


def search_request_types(query: str, *, include_internal: bool = False) -> list[RequestType]:
    """Démarches matching every word typed (accents and case ignored), best matches first."""
    words = [w for w in normalize(query).split() if len(w) > 1]
    types = (
        RequestType.objects.filter(is_active=True).select_related("service")
        if include_internal
        else public_request_types()
    )
    if not words:
        return []
    for word in words:
        types = types.filter(search_text__contains=word[:6] if len(word) > 6 else word)
    name_hits = [normalize(t.name) for t in types]
    ranked = sorted(
        zip(types, name_hits, strict=True),
        key=lambda pair: -sum(word in pair[1] for word in words),
    )
    return [t for t, _name in ranked]


def request_type_with_fields(slug: str, *, include_internal: bool = False) -> RequestType | None:
    """An active démarche with its service and fields, read without a query.

    Public démarches of citizen-facing services only, unless ``include_internal``. Built
    from this process's copy of the catalogue, which follows its version (an edit shows
    everywhere within a second): each call returns instances of its own.
    """
    kept = memo(CATALOGUE, "active-request-types", _active_request_types).get(slug)
    if kept is None or not (include_internal or kept.is_public):
        return None
    return kept.instance()


@dataclass(frozen=True, slots=True)
class _KeptRequestType:
    """A démarche as a process keeps it: its row, its service's and its fields', immutable."""

    request_type: Row[RequestType]
    service: Row[Service]
    fields: tuple[Row[FormField], ...]
    is_public: bool

    def instance(self) -> RequestType:
        request_type = self.request_type.instance()
        request_type.service = self.service.instance()
        set_prefetched(request_type, "fields", [field.instance() for field in self.fields])
        return request_type


def _active_request_types() -> Mapping[str, _KeptRequestType]:
    types = (
        RequestType.objects.filter(is_active=True)
        .select_related("service")
        .prefetch_related(Prefetch("fields", queryset=FormField.objects.order_by("position", "pk")))
    )
    return MappingProxyType(
        {
            request_type.slug: _KeptRequestType(
                request_type=Row.of(request_type),
                service=Row.of(request_type.service),
                fields=tuple(Row.of(field) for field in request_type.fields.all()),
                is_public=request_type.visibility == RequestType.Visibility.PUBLIC
                and not request_type.service.is_internal,
            )
            for request_type in types
        }
    )


def catalogue_names() -> tuple[Mapping[int, str], Mapping[int, str]]:
    """The names of every service and démarche by id, from this process's catalogue copy."""
    return memo(CATALOGUE, "catalogue-names", _catalogue_names)


def _catalogue_names() -> tuple[Mapping[int, str], Mapping[int, str]]:
    return (
        MappingProxyType(dict(Service.objects.values_list("pk", "name"))),
        MappingProxyType(dict(RequestType.objects.values_list("pk", "name"))),
    )


def agent_request_types() -> QuerySet[RequestType]:
    """Every active démarche, public and internal, for agents' forms."""
    return (
        RequestType.objects.filter(is_active=True)
        .select_related("service")
        .order_by("service__position", "position", "name")
    )
