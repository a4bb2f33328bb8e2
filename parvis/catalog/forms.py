"""Turn a démarche's field definitions into a Django form: the one validator of field values.

The portal, the agents' phone form and the API all validate structured values through
``fields_form_class``, so a rule is written once.
"""

import contextlib
import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import FormField, RequestType
from parvis.core.snapshots import Row

phone_validator = RegexValidator(
    r"^\+?[0-9 .()-]{6,20}$",
    _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."),
)


def _form_field(
    definition: FormField, *, files_required: bool, file_field: type[forms.FileField]
) -> forms.Field:
    common: dict[str, Any] = {
        "label": definition.label,
        "required": definition.required,
        "help_text": definition.help_text,
    }
    kind = definition.kind
    if kind == FormField.Kind.TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if kind == FormField.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FormField.Kind.NUMBER:
        return _number_field(definition, common)
    if kind == FormField.Kind.CHOICE:
        # Lazy: the form class outlives a request, the prompt follows each request's language.
        empty: list[tuple[str, str | Promise]] = [
            ("", _("Choisissez…") if definition.required else "—")
        ]
        return forms.ChoiceField(choices=[*empty, *definition.choice_pairs()], **common)
    if kind == FormField.Kind.EMAIL:
        return forms.EmailField(**common)
    if kind == FormField.Kind.PHONE:
        return forms.CharField(
            max_length=30,
            validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **common,
        )
    if kind == FormField.Kind.FILE:
        common["required"] = definition.required and files_required
        return file_field(**common)
    if kind == FormField.Kind.LOCATION:
        return forms.CharField(
            max_length=300,
            widget=forms.TextInput(
                attrs={"placeholder": _("Numéro, rue, ou repère (devant l'école…)")}
            ),
            **common,
        )
    return forms.CharField(max_length=300, **common)


def _number_field(definition: FormField, common: dict[str, Any]) -> forms.Field:
    """A whole or decimal number within the definition's limits, refused in plain French."""
    low, high = _tidy(definition.min_value), _tidy(definition.max_value)
    messages = {
        "min_value": _("Indiquez un nombre supérieur ou égal à %(limit_value)s."),
        "max_value": _("Indiquez un nombre inférieur ou égal à %(limit_value)s."),
    }
    if definition.integer:
        return forms.IntegerField(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
            error_messages={**messages, "invalid": _("Indiquez un nombre entier, sans virgule.")},
            **common,
        )
    return forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=low,
        max_value=high,
        error_messages={**messages, "invalid": _("Indiquez un nombre, par exemple 12 ou 12.50.")},
        **common,
    )


def _tidy(limit: Decimal | None) -> Decimal | None:
    """A limit as it reads in a message: 3, not 3.00."""
    if limit is None or limit != limit.to_integral_value():
        return limit if limit is None else limit.normalize()
    return limit.quantize(Decimal(1))


class DemarcheFieldsForm(forms.Form):
    """The fields of a démarche; those shown only when an earlier choice has a given value are
    required only then, and their values are dropped when it has not.

    Without JavaScript every field is shown, a conditional one saying when it applies; with
    it (``parvis/core/static/parvis/conditional-fields.js``) it is hidden and its input
    disabled when it does not apply. Either way the server decides here.
    """

    # key → (the controlling field's key, the values that make it apply, required then)
    conditions: dict[str, tuple[str, frozenset[str], bool]] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key, (controller, values, required) in self.conditions.items():
            if str(cleaned.get(controller, "")) in values:
                if required and cleaned.get(key) in (None, "") and key not in self.errors:
                    self.add_error(key, self.fields[key].error_messages["required"])
            else:
                cleaned.pop(key, None)
                self.errors.pop(key, None)
        return cleaned


def _condition_hint(definition: FormField, controller: FormField | None) -> str:
    """The sentence that says, without JavaScript, when a conditional field applies."""
    if controller is None:
        return ""
    labels = dict(controller.choice_pairs())
    values = str(_(" ou ")).join(
        _("« %(value)s »") % {"value": labels.get(v, v)} for v in sorted(definition.shown_values())
    )
    hint = (
        _("Obligatoire si « %(field)s » vaut %(values)s.")
        if definition.required
        else _("À remplir si « %(field)s » vaut %(values)s.")
    )
    return str(hint % {"field": controller.label, "values": values})


def fields_form_class(
    request_type: RequestType,
    *,
    files_required: bool = True,
    file_field: type[forms.FileField] = forms.FileField,
) -> type[forms.Form]:
    """A form class holding exactly the fields of this démarche, in order.

    ``file_field`` is the class of its file fields: the channels give theirs, which checks
    the file (``parvis.intake.forms.CheckedFileField``). Built once per process for each list
    of field definitions: kept under what the fields are, not under the démarche, it cannot
    outlive them.
    """
    definitions = tuple(Row.of(definition) for definition in request_type.fields.all())
    return _form_class(
        request_type.slug,
        definitions,
        files_required,
        file_field,  # type: ignore[arg-type]  # a class is hashable; mypy's protocol is not met
        get_language(),
    )


# ``language`` is part of the key: the empty choice's label is translated as the class is built.
@functools.lru_cache(maxsize=256)
def _form_class(
    slug: str,
    definitions: tuple[Row[FormField], ...],
    files_required: bool,
    file_field: type[forms.FileField],
    language: str | None,
) -> type[forms.Form]:
    form_fields: dict[str, Any] = {}
    conditions: dict[str, tuple[str, frozenset[str], bool]] = {}
    choices: dict[str, FormField] = {}  # the earlier choice fields, which may be conditions
    for definition in (row.instance() for row in definitions):
        field = _form_field(definition, files_required=files_required, file_field=file_field)
        field.widget.attrs["data-field-key"] = definition.key
        controller = choices.get(definition.shown_when_field)
        if controller is not None:
            conditions[definition.key] = (
                controller.key,
                definition.shown_values(),
                field.required,
            )
            field.required = False
            field.help_text = " ".join(
                filter(None, [str(field.help_text), _condition_hint(definition, controller)])
            )
            field.widget.attrs["data-shown-when"] = controller.key
            field.widget.attrs["data-shown-values"] = ",".join(sorted(definition.shown_values()))
        if definition.kind == FormField.Kind.CHOICE:
            choices[definition.key] = definition
        form_fields[definition.key] = field
    name = f"{slug.title().replace('-', '')}FieldsForm"
    return type(name, (DemarcheFieldsForm,), {**form_fields, "conditions": conditions})


def to_json_value(value: object) -> object:
    """A cleaned form value as it is stored in ``Ticket.field_values``."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_values(request_type: RequestType, cleaned_data: dict[str, Any]) -> dict[str, object]:
    """Keep the non-file, non-empty values of a valid fields form, JSON-ready."""
    file_keys = {f.key for f in request_type.fields.all() if f.kind == FormField.Kind.FILE}
    return {
        key: to_json_value(value)
        for key, value in cleaned_data.items()
        if key not in file_keys and value not in (None, "")
    }


def field_display_rows(
    definitions: Iterable[FormField] | None, values: dict[str, object]
) -> list[tuple[str, str]]:
    """(label, readable value) pairs for a ticket page, in the order of ``definitions``: the
    fields of the form version the ticket was filed under (None: no démarche, raw keys)."""
    if definitions is None:
        return [(key, str(value)) for key, value in values.items()]
    rows = []
    for definition in definitions:
        if definition.key not in values:
            continue
        value = values[definition.key]
        if definition.kind == FormField.Kind.CHOICE:
            value = dict(definition.choice_pairs()).get(str(value), value)
        elif definition.kind == FormField.Kind.DATE and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        rows.append((definition.label, str(value)))
    return rows
