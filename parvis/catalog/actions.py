"""Writes on the catalogue."""

from typing import Any

from django.db import transaction

from parvis.catalog import default_catalog
from parvis.catalog.models import FormField, RequestType, Service
from parvis.routing.models import KeywordRule


@transaction.atomic
def catalog_load_defaults() -> dict[str, int]:
    """Install the default catalogue. Idempotent: what an administrator already edited is kept.

    Missing services, démarches (with their fields) and routing rules are created; existing
    ones, matched by slug, are left as they are.
    """
    created = {"services": 0, "request_types": 0, "routing_rules": 0}
    services = {s.slug: s for s in Service.objects.all()}
    for position, data in enumerate(default_catalog.SERVICES):
        if data["slug"] not in services:
            services[data["slug"]] = Service.objects.create(
                slug=data["slug"],
                name=data["name"],
                description=data["description"],
                is_internal=data["is_internal"],
                position=position,
            )
            created["services"] += 1
    existing_types = set(RequestType.objects.values_list("slug", flat=True))
    for position, data in enumerate(default_catalog.REQUEST_TYPES):
        if data["slug"] not in existing_types:
            _create_request_type(data, services[data["service"]], position)
            created["request_types"] += 1
    if not KeywordRule.objects.exists():
        for position, rule in enumerate(default_catalog.ROUTING_RULES):
            KeywordRule.objects.create(
                keywords=rule["keywords"], service=services[rule["service"]], position=position
            )
            created["routing_rules"] += 1
    return created


def _create_request_type(data: dict[str, Any], service: Service, position: int) -> RequestType:
    request_type = RequestType(
        slug=data["slug"],
        name=data["name"],
        description=data["description"],
        service=service,
        visibility=data["visibility"],
        is_confidential=data["is_confidential"],
        keywords=data["keywords"],
        position=position,
    )
    request_type.search_text = request_type.build_search_text()
    request_type.save()
    FormField.objects.bulk_create(
        FormField(
            request_type=request_type,
            key=field["key"],
            label=field["label"],
            kind=field["kind"],
            required=field["required"],
            help_text=field.get("help_text", ""),
            choices="\n".join(f"{value}|{label}" for value, label in field.get("choices", [])),
            position=index,
        )
        for index, field in enumerate(data["fields"])
    )
    return request_type
