"""A published form's field definitions as data: what ``FormVersion.fields`` holds.

A ``FieldSpec`` is written from a draft ``FormField`` at publication and read back into an
unsaved ``FormField`` for the one renderer (``catalog.forms``): the citizen's form, the
preview and a ticket's values all go through the same definitions. ``check_fields`` is the
rule that spans fields (a condition names an earlier choice field and some of its values).
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parvis.catalog.models import FormField
from parvis.catalog.vocabulary import FieldKind


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One published field: ``FormField``'s editable columns, limits as decimal strings."""

    key: str
    label: str
    kind: str
    required: bool = False
    help_text: str = ""
    choices: str = ""
    integer: bool = False
    min_value: str | None = None
    max_value: str | None = None
    shown_when_field: str = ""
    shown_when_values: str = ""

    @classmethod
    def of(cls, field: FormField) -> "FieldSpec":
        return cls(
            key=field.key,
            label=field.label,
            kind=field.kind,
            required=field.required,
            help_text=field.help_text,
            choices=field.choices,
            integer=field.integer,
            min_value=None if field.min_value is None else str(field.min_value),
            max_value=None if field.max_value is None else str(field.max_value),
            shown_when_field=field.shown_when_field,
            shown_when_values=field.shown_when_values,
        )

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> "FieldSpec":
        """Read back what ``as_data`` wrote; a kind Parvis does not know is refused."""
        spec = cls(**data)  # type: ignore[arg-type]  # the keys are those as_data wrote
        if spec.kind not in FieldKind.values:
            raise ValueError(f"unknown field kind {spec.kind!r}")
        return spec

    def as_data(self) -> dict[str, object]:
        return asdict(self)

    def definition(self, *, request_type_id: int, position: int) -> FormField:
        """An unsaved ``FormField`` with these values, for ``catalog.forms``."""
        return FormField(
            request_type_id=request_type_id,
            key=self.key,
            label=self.label,
            kind=self.kind,
            required=self.required,
            help_text=self.help_text,
            choices=self.choices,
            integer=self.integer,
            min_value=None if self.min_value is None else Decimal(self.min_value),
            max_value=None if self.max_value is None else Decimal(self.max_value),
            shown_when_field=self.shown_when_field,
            shown_when_values=self.shown_when_values,
            position=position,
        )


def definitions_of(request_type_id: int, data: Iterable[Mapping[str, object]]) -> list[FormField]:
    """A version's stored fields as unsaved ``FormField`` instances, in order."""
    return [
        FieldSpec.from_data(item).definition(request_type_id=request_type_id, position=position)
        for position, item in enumerate(data)
    ]


def check_fields(fields: Iterable[FormField]) -> None:
    """Refuse, in French, a list of fields that could not be filled in.

    Each field by its own ``clean`` (limits, condition given in full); then a field shown
    only when another has a value names an earlier « choix » field, and values among its
    choices (``catalog.data`` checks the default catalogue alike).
    """
    errors: list[str] = []
    choices: dict[str, set[str]] = {}  # the earlier choice fields' values, by key
    for field in fields:
        try:
            field.clean()
        except ValidationError as error:
            errors += [
                _("« %(field)s » : %(message)s") % {"field": field.label, "message": message}
                for message in error.messages
            ]
        controller = field.shown_when_field
        if controller and controller not in choices:
            errors.append(
                _("« %(field)s » : son affichage dépend d'un champ « choix » placé avant.")
                % {"field": field.label}
            )
        elif controller:
            unknown = sorted(field.shown_values() - choices[controller])
            if unknown:
                errors.append(
                    _("« %(field)s » : %(values)s ne sont pas des choix de « %(controller)s ».")
                    % {"field": field.label, "values": ", ".join(unknown), "controller": controller}
                )
        if field.kind == FieldKind.CHOICE:
            choices[field.key] = {value for value, _label in field.choice_pairs()}
    if errors:
        raise ValidationError(errors)
