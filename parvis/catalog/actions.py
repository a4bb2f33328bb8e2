"""Writes on the catalogue: the default catalogue, and the form builder's draft and versions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.catalog.data import RequestTypeDefinition, Targets, default_catalog
from parvis.catalog.form_specs import FieldSpec, check_fields
from parvis.catalog.models import FormField, FormVersion, RequestType, Service
from parvis.routing.models import KeywordRule


@transaction.atomic
def catalog_load_defaults() -> dict[str, int]:
    """Install the default catalogue. Idempotent: what an administrator already edited is kept.

    Missing services, démarches (with their fields, published as version 1 of their form) and
    routing rules are created; existing ones, matched by slug, are left as they are.
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
    form_publish(request_type=request_type, actor=None, is_default=True)
    return request_type


def form_field_save(*, field: FormField) -> FormField:
    """Add ``field`` to its démarche's draft (at the end), or save its changes there.

    Checked by the model (``FormField.clean``, a key used once per démarche): a French
    ValidationError by field name. A new field without a key gets one from its label.
    Citizens see nothing of it until the form is published (``form_publish``).
    """
    with transaction.atomic():
        if field.pk is None:
            draft = FormField.objects.filter(request_type_id=field.request_type_id)
            field.position = (draft.aggregate(last=Max("position"))["last"] or 0) + 1
            taken = set(draft.values_list("key", flat=True))
            if not field.key:
                field.key = _free_key(field.label, taken)
            elif field.key in taken:
                raise ValidationError(
                    {"key": _("Un autre champ de cette démarche a déjà cette clé.")}
                )
        field.full_clean()
        field.save()
    return field


def _free_key(label: str, taken: set[str]) -> str:
    """A key drawn from the label (« Date de naissance » → date_de_naissance), unused."""
    base = slugify(label).replace("-", "_")[:50] or "champ"
    key, suffix = base, 1
    while key in taken:
        suffix += 1
        key = f"{base}_{suffix}"
    return key


def form_field_remove(*, field: FormField) -> None:
    """Remove a field from the draft; the tickets that have a value for it keep it."""
    field.delete()


@transaction.atomic
def form_field_move(*, field: FormField, up: bool) -> None:
    """Move a draft field one place up or down (nothing at either end)."""
    draft = list(
        FormField.objects.select_for_update()
        .filter(request_type_id=field.request_type_id)
        .order_by("position", "pk")
    )
    index = next(i for i, item in enumerate(draft) if item.pk == field.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(draft):
        return
    draft[index], draft[other] = draft[other], draft[index]
    for position, item in enumerate(draft):
        item.position = position
    FormField.objects.bulk_update(draft, ["position"])


@transaction.atomic
def form_publish(
    *, request_type: RequestType, actor: User | None, is_default: bool = False
) -> FormVersion:
    """Write the draft as the démarche's next form version: new tickets are filed under it.

    Versions are never edited: a ticket keeps the one it was filed under. Refused, in
    French, when a field could not be filled in or when nothing changed since the last one.
    """
    # The démarche locked: two administrators publishing at once get two numbers.
    RequestType.objects.select_for_update().filter(pk=request_type.pk).get()
    draft = list(FormField.objects.filter(request_type=request_type).order_by("position", "pk"))
    check_fields(draft)
    fields = [FieldSpec.of(field).as_data() for field in draft]
    latest = FormVersion.objects.filter(request_type=request_type).order_by("-number").first()
    if latest is not None and latest.fields == fields:
        raise ValidationError(
            _("Rien à publier : le formulaire est celui de la version en vigueur.")
        )
    return FormVersion.objects.create(
        request_type=request_type,
        number=(latest.number if latest else 0) + 1,
        fields=fields,
        created_by=actor,
        is_default=is_default,
    )
