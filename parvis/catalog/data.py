"""The default catalogue, read from ``default_catalog.yaml`` and checked before any use.

What the file describes (its header says how to write it): the services of a typical French
commune, the démarches citizens and staff can file with their form fields, and the keyword
rules that route free text. ``catalog.actions.catalog_load_defaults`` installs it; the demo
corpus and the benchmarks draw on it.

The check refuses, with the file and the path of the entry: a field kind or a visibility
outside the catalogue's vocabularies; a choice field without choices, choices on any other
field, a choice not written ``value|label``; a démarche or a rule naming an unknown service;
a service slug, démarche slug or field key (within its démarche) given twice; an empty
required text, and one longer than its database column; ``integer``, ``min`` or ``max`` on
anything but a number, a minimum above the maximum, a decimal limit of an integer field; a
``shown_when`` that names no earlier choice field of the démarche, or a value it lacks; a
``nearby`` (public-space report) on a démarche without a location field or confidential, or
whose radius or window is not a whole number within its limits; a
service-level target (``sla``) that is not a whole number from 1 to ``MAX_TARGET`` of
``working_hours`` or ``working_days``, a ``legal_deadline`` outside its vocabulary.
Django-free: the benchmark's load client reads the catalogue in a process that never sets
Django up.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from parvis.catalog.vocabulary import (
    MAX_NEARBY_RADIUS_M,
    MAX_NEARBY_WINDOW_DAYS,
    FieldKind,
    LegalDeadline,
    TargetUnit,
    Visibility,
)
from parvis.core.datafiles import Entry, read_yaml, refuse_repeat
from parvis.core.text import unaccent

CATALOG_FILE = Path(__file__).with_name("default_catalog.yaml")

# The columns' sizes (test_the_length_limits_are_the_columns_own keeps them equal): SQLite
# would store a longer value, PostgreSQL refuses it.
SLUG_LENGTH = 50
SERVICE_NAME_LENGTH = 120
REQUEST_TYPE_NAME_LENGTH = 160
FIELD_KEY_LENGTH = 60
FIELD_LABEL_LENGTH = 160
HELP_TEXT_LENGTH = 300
MAX_TARGET = 2000  # catalog.models.MAX_TARGET: a target's upper bound in its unit
NUMBER_LIMIT = Decimal("1e10")  # a number's limits fit its column (12 digits, 2 decimals)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_RULE = "minuscules sans accents, chiffres, tirets"
_FIELD_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_FIELD_KEY_RULE = "snake_case : minuscules sans accents, chiffres, soulignés"
_CHOICE_VALUE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class Target:
    """A service-level target: so many working hours or working days (``parvis.sla``)."""

    amount: int
    unit: TargetUnit


@dataclass(frozen=True)
class Targets:
    """The first-response and resolution targets of a service or a démarche (None: none)."""

    first_response: Target | None = None
    resolution: Target | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    """A municipal service as the default catalogue describes it."""

    slug: str
    name: str
    description: str
    is_internal: bool
    is_confidential: bool
    sla: Targets = Targets()


@dataclass(frozen=True)
class Choice:
    """One choice of a choice field: the value stored, the label shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """A field is asked only when an earlier choice field holds one of these values."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FieldDefinition:
    """One field of a démarche's form."""

    key: str
    label: str
    kind: FieldKind
    required: bool
    help_text: str
    choices: tuple[Choice, ...]
    integer: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    shown_when: Condition | None = None

    @property
    def choices_text(self) -> str:
        """The choices as ``FormField.choices`` holds them: one ``value|label`` per line."""
        return "\n".join(f"{choice.value}|{choice.label}" for choice in self.choices)


@dataclass(frozen=True)
class RequestTypeDefinition:
    """A démarche: its service (a slug), who sees it, how it is found, what it asks."""

    slug: str
    service: str
    name: str
    description: str
    visibility: Visibility
    is_confidential: bool
    keywords: str
    fields: tuple[FieldDefinition, ...]
    nearby: "NearbyDefinition | None" = None
    sla: Targets = Targets()
    legal_deadline: LegalDeadline = LegalDeadline.NONE


@dataclass(frozen=True)
class NearbyDefinition:
    """A public-space report: reports of it within ``radius_m`` and ``window_days`` are near."""

    radius_m: int
    window_days: int


@dataclass(frozen=True)
class RoutingRuleDefinition:
    """Free text containing one of these comma-separated keywords goes to this service."""

    service: str
    keywords: str


@dataclass(frozen=True)
class Catalog:
    """The whole default catalogue, in the file's order (which is the display order)."""

    services: tuple[ServiceDefinition, ...]
    request_types: tuple[RequestTypeDefinition, ...]
    routing_rules: tuple[RoutingRuleDefinition, ...]


@functools.cache
def default_catalog() -> Catalog:
    """The shipped catalogue, read and checked once per process (its values are immutable)."""
    return catalog_from_document(read_yaml(CATALOG_FILE), source=CATALOG_FILE.name)


def catalog_from_document(document: object, *, source: str) -> Catalog:
    """Check a parsed catalogue document; ``source`` names it in the errors (a file name)."""
    root = Entry(source, "", document).mapping(["services", "request_types", "routing_rules"])
    seen_services: dict[str, str] = {}
    services = tuple(
        _service(entry, seen_services) for entry in root["services"].sequence(empty=False)
    )
    service_slugs = [service.slug for service in services]
    seen_types: dict[str, str] = {}
    request_types = tuple(
        _request_type(entry, service_slugs, seen_types)
        for entry in root["request_types"].sequence(empty=False)
    )
    routing_rules = tuple(
        _routing_rule(entry, service_slugs) for entry in root["routing_rules"].sequence()
    )
    return Catalog(services, request_types, routing_rules)


def _service(entry: Entry, seen: dict[str, str]) -> ServiceDefinition:
    data = entry.mapping(
        ["slug", "name", "description", "is_internal"], {"is_confidential": False, "sla": {}}
    )
    slug = data["slug"].identifier(_SLUG, _SLUG_RULE, max_length=SLUG_LENGTH)
    refuse_repeat(seen, data["slug"], slug)
    return ServiceDefinition(
        slug=slug,
        name=data["name"].text(max_length=SERVICE_NAME_LENGTH),
        description=data["description"].text(),
        is_internal=data["is_internal"].boolean(),
        is_confidential=data["is_confidential"].boolean(),
        sla=_targets(data["sla"]),
    )


def _targets(entry: Entry) -> Targets:
    """``{first_response: {amount: 2, unit: working_days}, resolution: …}``, each optional."""
    data = entry.mapping([], {"first_response": None, "resolution": None})
    return Targets(
        first_response=_target(data["first_response"]), resolution=_target(data["resolution"])
    )


def _target(entry: Entry) -> Target | None:
    if entry.value is None:
        return None
    data = entry.mapping(["amount", "unit"])
    amount = data["amount"].number()
    if not isinstance(amount, int) or not 1 <= amount <= MAX_TARGET:
        raise data["amount"].error(f"attendu : un nombre entier de 1 à {MAX_TARGET}")
    unit = data["unit"].one_of(TargetUnit.values, "une unité de délai")
    return Target(amount=amount, unit=TargetUnit(unit))


def _request_type(entry: Entry, services: list[str], seen: dict[str, str]) -> RequestTypeDefinition:
    data = entry.mapping(
        [
            "slug",
            "service",
            "name",
            "description",
            "visibility",
            "is_confidential",
            "keywords",
            "fields",
        ],
        {"nearby": None, "sla": {}, "legal_deadline": ""},
    )
    slug = data["slug"].identifier(_SLUG, _SLUG_RULE, max_length=SLUG_LENGTH)
    refuse_repeat(seen, data["slug"], slug)
    keywords = data["keywords"].text()
    if keywords != unaccent(keywords).lower():
        raise data["keywords"].error("en minuscules et sans accents")
    seen_keys: dict[str, str] = {}
    fields: list[FieldDefinition] = []
    for item in data["fields"].sequence():
        fields.append(_field(item, seen_keys, earlier=fields))
    is_confidential = data["is_confidential"].boolean()
    nearby = _nearby(data["nearby"], fields, is_confidential)
    return RequestTypeDefinition(
        slug=slug,
        service=data["service"].one_of(services, "un service du catalogue"),
        name=data["name"].text(max_length=REQUEST_TYPE_NAME_LENGTH),
        description=data["description"].text(),
        visibility=Visibility(data["visibility"].one_of(Visibility.values, "une visibilité")),
        is_confidential=is_confidential,
        keywords=keywords,
        fields=tuple(fields),
        nearby=nearby,
        sla=_targets(data["sla"]),
        legal_deadline=LegalDeadline(
            data["legal_deadline"].one_of(LegalDeadline.values, "un délai légal")
            if data["legal_deadline"].value != ""
            else ""
        ),
    )


def _nearby(
    entry: Entry, fields: list[FieldDefinition], is_confidential: bool
) -> NearbyDefinition | None:
    """``nearby: {radius_m: 50, window_days: 30}``: a public-space report, which has a place."""
    if entry.value is None:
        return None
    data = entry.mapping(["radius_m", "window_days"])
    if not any(field.kind == FieldKind.LOCATION for field in fields):
        raise entry.error("une démarche sans champ « location » n'a pas de signalements proches")
    if is_confidential:
        raise entry.error("une démarche confidentielle ne montre pas ses signalements proches")
    return NearbyDefinition(
        radius_m=_whole(data["radius_m"], MAX_NEARBY_RADIUS_M),
        window_days=_whole(data["window_days"], MAX_NEARBY_WINDOW_DAYS),
    )


def _whole(entry: Entry, highest: int) -> int:
    value = entry.number()
    if not isinstance(value, int) or not 1 <= value <= highest:
        raise entry.error(f"{value} : un nombre entier de 1 à {highest}")
    return value


def _field(
    entry: Entry, seen: dict[str, str], *, earlier: list[FieldDefinition]
) -> FieldDefinition:
    data = entry.mapping(
        ["key", "label", "kind"],
        {
            "required": False,
            "help_text": "",
            "choices": [],
            "integer": False,
            "min": None,
            "max": None,
            "shown_when": None,
        },
    )
    key = data["key"].identifier(_FIELD_KEY, _FIELD_KEY_RULE, max_length=FIELD_KEY_LENGTH)
    refuse_repeat(seen, data["key"], key)
    kind = FieldKind(data["kind"].one_of(FieldKind.values, "un type de champ"))
    choices = data["choices"].sequence()
    if kind == FieldKind.CHOICE and not choices:
        raise data["choices"].error("un champ « choice » a besoin de choix (valeur|libellé)")
    if kind != FieldKind.CHOICE and choices:
        raise data["choices"].error(f"seul un champ « choice » a des choix, pas un « {kind} »")
    seen_values: dict[str, str] = {}
    integer, low, high = _number_limits(data, kind)
    return FieldDefinition(
        key=key,
        label=data["label"].text(max_length=FIELD_LABEL_LENGTH),
        kind=kind,
        required=data["required"].boolean(),
        help_text=data["help_text"].text(blank=True, max_length=HELP_TEXT_LENGTH),
        choices=tuple(_choice(item, seen_values) for item in choices),
        integer=integer,
        min_value=low,
        max_value=high,
        shown_when=_condition(data["shown_when"], earlier),
    )


def _number_limits(
    data: dict[str, Entry], kind: FieldKind
) -> tuple[bool, Decimal | None, Decimal | None]:
    """``integer``, ``min`` and ``max``: only on a number; limits of an integer are integers."""
    integer = data["integer"].boolean()
    limits = [data["min"], data["max"]]
    if kind != FieldKind.NUMBER:
        for entry in [data["integer"], *limits]:
            if entry.value not in (None, False):
                raise entry.error(
                    f"seul un champ « number » a integer, min et max, pas un « {kind} »"
                )
        return False, None, None
    low, high = (None if entry.value is None else _limit(entry, integer) for entry in limits)
    if low is not None and high is not None and low > high:
        raise data["max"].error(f"{high} est plus petit que le minimum {low}")
    return integer, low, high


def _limit(entry: Entry, integer: bool) -> Decimal:
    value = Decimal(str(entry.number()))
    if integer and value != value.to_integral_value():
        raise entry.error(f"{value} : un champ entier (integer: true) a des limites entières")
    if abs(value) >= NUMBER_LIMIT or value != value.quantize(Decimal("0.01")):
        raise entry.error(f"{value} : au plus 2 décimales et moins de {NUMBER_LIMIT}")
    return value


def _condition(entry: Entry, earlier: list[FieldDefinition]) -> Condition | None:
    """``shown_when: {field: …, values: […]}``: an earlier choice field and some of its values."""
    if entry.value is None:
        return None
    data = entry.mapping(["field", "values"])
    choices = {field.key: field for field in earlier if field.kind == FieldKind.CHOICE}
    key = data["field"].one_of(list(choices), "un champ « choice » placé avant celui-ci")
    accepted = [choice.value for choice in choices[key].choices]
    values = tuple(
        item.one_of(accepted, f"une valeur du champ « {key} »")
        for item in data["values"].sequence(empty=False)
    )
    return Condition(field=key, values=values)


def _choice(entry: Entry, seen: dict[str, str]) -> Choice:
    """``value|label``, as the administration writes choices: both sides needed."""
    written = entry.text()
    value, bar, label = written.partition("|")
    if not (bar and value and label.strip()):
        raise entry.error(f"« {written} » : écrivez valeur|libellé")
    if not _CHOICE_VALUE.fullmatch(value):
        raise entry.error(
            f"« {value} » n'est pas une valeur de choix valide "
            "(minuscules sans accents, chiffres, tirets, soulignés ; rien autour de la barre)"
        )
    if label != label.strip():
        raise entry.error(f"« {written} » : rien autour de la barre")
    refuse_repeat(seen, entry, value)
    return Choice(value, label)


def _routing_rule(entry: Entry, services: list[str]) -> RoutingRuleDefinition:
    data = entry.mapping(["service", "keywords"])
    keywords = data["keywords"].text()
    for keyword in keywords.split(","):
        if not keyword.strip():
            raise data["keywords"].error("un mot-clé vide entre deux virgules")
        if keyword != keyword.lower():
            raise data["keywords"].error(f"« {keyword.strip()} » : les mots-clés en minuscules")
    return RoutingRuleDefinition(
        service=data["service"].one_of(services, "un service du catalogue"), keywords=keywords
    )
