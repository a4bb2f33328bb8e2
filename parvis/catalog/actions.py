"""Writes on the catalogue."""

from django.db import transaction

from parvis.catalog.data import RequestTypeDefinition, Targets, default_catalog
from parvis.catalog.models import FormField, RequestType, Service
from parvis.routing.models import KeywordRule


@transaction.atomic
def catalog_load_defaults() -> dict[str, int]:
    """Install the default catalogue. Idempotent: what an administrator already edited is kept.

    Missing services, démarches (with their fields) and routing rules are created; existing
    ones, matched by slug, are left as they are.
    """
    catalog = default_catalog()
    created = {"services": 0, "request_types": 0, "routing_rules": 0}
    services = {s.slug: s for s in Service.objects.all()}
    for position, service in enumerate(catalog.services):
        if service.slug not in services:
            services[service.slug] = Service.objects.create(
                slug=service.slug,
                name=service.name,
                description=service.description,
                is_internal=service.is_internal,
                is_confidential=service.is_confidential,
                position=position,
                **_target_fields(service.sla),
            )
            created["services"] += 1
    existing_types = set(RequestType.objects.values_list("slug", flat=True))
    for position, definition in enumerate(catalog.request_types):
        if definition.slug not in existing_types:
            _create_request_type(definition, services[definition.service], position)
            created["request_types"] += 1
    if not KeywordRule.objects.exists():
        for position, rule in enumerate(catalog.routing_rules):
            KeywordRule.objects.create(
                keywords=rule.keywords, service=services[rule.service], position=position
            )
            created["routing_rules"] += 1
    return created


def _target_fields(targets: Targets) -> dict[str, object]:
    """The model fields of a service's or démarche's service-level targets."""
    fields: dict[str, object] = {}
    for name in ("first_response", "resolution"):
        target = getattr(targets, name)
        if target is not None:
            fields |= {f"{name}_target": target.amount, f"{name}_unit": target.unit}
    return fields


def _create_request_type(
    definition: RequestTypeDefinition, service: Service, position: int
) -> RequestType:
    request_type = RequestType(
        slug=definition.slug,
        name=definition.name,
        description=definition.description,
        service=service,
        visibility=definition.visibility,
        is_confidential=definition.is_confidential,
        keywords=definition.keywords,
        position=position,
        nearby_radius_m=definition.nearby.radius_m if definition.nearby else None,
        nearby_window_days=definition.nearby.window_days if definition.nearby else None,
        legal_deadline=definition.legal_deadline,
        **_target_fields(definition.sla),
    )
    request_type.save()
    FormField.objects.bulk_create(
        FormField(
            request_type=request_type,
            key=field.key,
            label=field.label,
            kind=field.kind,
            required=field.required,
            help_text=field.help_text,
            choices=field.choices_text,
            integer=field.integer,
            min_value=field.min_value,
            max_value=field.max_value,
            shown_when_field=field.shown_when.field if field.shown_when else "",
            shown_when_values=",".join(field.shown_when.values) if field.shown_when else "",
            position=index,
        )
        for index, field in enumerate(definition.fields)
    )
    return request_type
