"""Reads of the catalogue for the portal and the back office."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from parvis.catalog.form_specs import FieldSpec, definitions_of
from parvis.catalog.models import FormField, FormVersion, RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row, set_prefetched
from parvis.search.index import Index, analyse, build_index


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


def search_request_types(
    query: str, *, include_internal: bool = False, limit: int = 10, as_you_type: bool = False
) -> list[RequestType]:
    """Démarches for what a citizen typed, best first (docs/search.md), read without a query.

    Any word may match; accents, plurals, typos, SMS spellings and everyday words
    (``parvis/search/data/vocabulary.yaml``) are understood; a démarche's search words weigh
    most. ``as_you_type`` completes the last word (suggestions while typing). Built from this
    process's copy of the catalogue: an edit in the admin is searched within a second.
    """
    index, slugs = memo(CATALOGUE, "search-index", _request_type_index)
    audiences = ("public", "agents") if include_internal else ("public",)
    search = index.suggest if as_you_type else index.search
    found = []
    for hit in search(query, limit=limit, audiences=audiences):
        request_type = request_type_with_fields(
            slugs[hit.object_id], include_internal=include_internal
        )
        if request_type is not None:
            found.append(request_type)
    return found


def _request_type_index() -> tuple[Index, Mapping[int, str]]:
    documents = []
    slugs = {}
    for slug, kept in memo(CATALOGUE, "active-request-types", _active_request_types).items():
        request_type, service = kept.request_type.instance(), kept.service.instance()
        slugs[request_type.pk] = slug
        documents.append(
            analyse(
                object_id=request_type.pk,
                title=request_type.name,
                keywords=request_type.keywords,
                body=f"{request_type.description} {service.name}",
                audience="public" if kept.is_public else "agents",
            )
        )
    return build_index(documents), MappingProxyType(slugs)


def request_type_with_fields(slug: str, *, include_internal: bool = False) -> RequestType | None:
    """An active démarche with its service and the fields of its published form, read
    without a query (none before its form's first publication; never the draft).

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
    types = RequestType.objects.filter(is_active=True).select_related("service")
    published = dict(
        latest_form_versions()
        .filter(request_type__is_active=True)
        .values_list("request_type_id", "fields")
    )
    return MappingProxyType(
        {
            request_type.slug: _KeptRequestType(
                request_type=Row.of(request_type),
                service=Row.of(request_type.service),
                fields=tuple(
                    Row.of(field)
                    for field in definitions_of(request_type.pk, published.get(request_type.pk, []))
                ),
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


def latest_form_versions() -> QuerySet[FormVersion]:
    """The version of each démarche's form that new tickets are filed under (its highest)."""
    latest = (
        FormVersion.objects.filter(request_type=OuterRef("request_type"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return FormVersion.objects.filter(pk=Subquery(latest))


def current_form_version_ids() -> Mapping[int, int]:
    """Démarche id → the id of its form's current version, for démarches published once.

    Kept by each process under the catalogue's version, which a publication bumps.
    """
    return memo(
        CATALOGUE,
        "form-current-versions",
        lambda: MappingProxyType(dict(latest_form_versions().values_list("request_type_id", "pk"))),
    )


def form_version_fields(version_id: int) -> list[FormField]:
    """The fields of a form version, as unsaved instances (a version never changes: each
    process keeps those it read, under the catalogue's version)."""

    def load() -> tuple[Row[FormField], ...]:
        request_type_id, fields = FormVersion.objects.values_list("request_type_id", "fields").get(
            pk=version_id
        )
        return tuple(Row.of(field) for field in definitions_of(request_type_id, fields))

    return [row.instance() for row in memo(CATALOGUE, f"form-version-{version_id}", load)]


def use_published_form(request_type: RequestType) -> int | None:
    """Give ``request_type`` the fields of its published form, whatever it was read with
    (a query reads the draft); the version's id (None: never published, no fields)."""
    version_id = current_form_version_ids().get(request_type.pk)
    fields = form_version_fields(version_id) if version_id is not None else []
    set_prefetched(request_type, "fields", list(fields))
    return version_id


def ticket_form_fields(form_version_id: int | None, request_type_id: int | None) -> list[FormField]:
    """The fields a ticket's values are read with: those of the version it was filed under;
    a ticket without one (filed with no démarche), its démarche's published ones."""
    if form_version_id is not None:
        return form_version_fields(form_version_id)
    if request_type_id is None:
        return []
    current = current_form_version_ids().get(request_type_id)
    return form_version_fields(current) if current is not None else []


@dataclass(frozen=True)
class DemarcheForm:
    """A démarche in the form builder's list: its published version and whether its draft
    holds changes not yet published."""

    request_type: RequestType
    version: FormVersion | None
    has_unpublished_changes: bool


def demarches_with_forms() -> list[DemarcheForm]:
    """Every démarche, by service, with its form's state (three queries)."""
    versions = {version.request_type_id: version for version in latest_form_versions()}
    types = (
        RequestType.objects.select_related("service")
        .prefetch_related(Prefetch("fields", queryset=FormField.objects.order_by("position", "pk")))
        .order_by("service__position", "service__name", "position", "name")
    )
    return [
        DemarcheForm(
            request_type=request_type,
            version=versions.get(request_type.pk),
            has_unpublished_changes=draft_differs(
                list(request_type.fields.all()), versions.get(request_type.pk)
            ),
        )
        for request_type in types
    ]


def form_draft(request_type: RequestType) -> list[FormField]:
    """The draft fields of a démarche, in order, for the form builder."""
    return list(FormField.objects.filter(request_type=request_type).order_by("position", "pk"))


def form_versions(request_type: RequestType, *, limit: int = 20) -> list[FormVersion]:
    """The démarche's published versions, the current one first, with who published them."""
    return list(
        FormVersion.objects.filter(request_type=request_type)
        .select_related("created_by")
        .order_by("-number")[:limit]
    )


def draft_differs(draft: list[FormField], version: FormVersion | None) -> bool:
    """Whether publishing the draft would change the form citizens fill in."""
    if version is None:
        return True
    published: list[dict[str, object]] = version.fields
    return [FieldSpec.of(field).as_data() for field in draft] != published
