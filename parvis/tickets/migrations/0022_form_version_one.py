"""Version 1 of every démarche's form, from its fields as they are; every ticket of a
démarche is filed under it (docs/decisions/0027)."""

from typing import Any

from django.db import migrations


def _spec(field: Any) -> dict[str, object]:
    """What ``catalog.form_specs.FieldSpec.as_data`` writes, written out: a migration keeps
    the shape of its day."""
    return {
        "key": field.key,
        "label": field.label,
        "kind": field.kind,
        "required": field.required,
        "help_text": field.help_text,
        "choices": field.choices,
        "integer": field.integer,
        "min_value": None if field.min_value is None else str(field.min_value),
        "max_value": None if field.max_value is None else str(field.max_value),
        "shown_when_field": field.shown_when_field,
        "shown_when_values": field.shown_when_values,
    }


def forward(apps: Any, schema_editor: Any) -> None:
    RequestType = apps.get_model("catalog", "RequestType")
    FormField = apps.get_model("catalog", "FormField")
    FormVersion = apps.get_model("catalog", "FormVersion")
    Ticket = apps.get_model("tickets", "Ticket")
    for request_type in RequestType.objects.all():
        if FormVersion.objects.filter(request_type=request_type).exists():
            continue
        fields = FormField.objects.filter(request_type=request_type).order_by("position", "pk")
        version = FormVersion.objects.create(
            request_type=request_type,
            number=1,
            # Perhaps edited by an administrator since it was shipped: not marked as default.
            fields=[_spec(field) for field in fields],
        )
        Ticket.objects.filter(request_type=request_type, form_version=None).update(
            form_version=version
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_formversion"),
        ("tickets", "0021_ticket_form_version"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
