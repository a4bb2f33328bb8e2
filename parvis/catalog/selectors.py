"""Reads of the catalogue for the portal and the back office."""

from collections.abc import Mapping
from types import MappingProxyType

from django.db.models import Prefetch, QuerySet

from parvis.catalog import revision
from parvis.catalog.models import FormField, RequestType, Service
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
    """An active démarche with its service and fields, from this process's copy of the catalogue.

    Public démarches of citizen-facing services only, unless ``include_internal``. The
    instance is shared by every request of the process: read it, never change it.
    """
    request_type = revision.cached("active_request_types", _active_request_types).get(slug)
    if request_type is None or include_internal or _is_public(request_type):
        return request_type
    return None


def _is_public(request_type: RequestType) -> bool:
    return (
        request_type.visibility == RequestType.Visibility.PUBLIC
        and not request_type.service.is_internal
    )


def _active_request_types() -> dict[str, RequestType]:
    types = (
        RequestType.objects.filter(is_active=True)
        .select_related("service")
        .prefetch_related(Prefetch("fields", queryset=FormField.objects.order_by("position", "pk")))
    )
    return {request_type.slug: request_type for request_type in types}


def catalogue_names() -> tuple[Mapping[int, str], Mapping[int, str]]:
    """The names of every service and démarche by id, from this process's catalogue copy."""
    return revision.cached("catalogue_names", _catalogue_names)


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
