"""The default catalogue, read from ``default_catalog.yaml`` and checked before any use.

What the file describes (its header says how to write it): the services of a typical French
commune, the démarches citizens and staff can file with their form fields, and the keyword
rules that route free text. ``catalog.actions.catalog_load_defaults`` installs it; the demo
corpus and the benchmarks draw on it.

The check refuses, with the file and the path of the entry: a field kind or a visibility
outside the catalogue's vocabularies; a choice field without choices, choices on any other
field, a choice not written ``value|label``; a démarche or a rule naming an unknown service;
a service slug, démarche slug or field key (within its démarche) given twice; an empty
required text, and one longer than its database column. Django-free: the benchmark's load
client reads the catalogue in a process that never sets Django up.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from parvis.catalog.vocabulary import FieldKind, Visibility
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

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_RULE = "minuscules sans accents, chiffres, tirets"
_FIELD_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_FIELD_KEY_RULE = "snake_case : minuscules sans accents, chiffres, soulignés"
_CHOICE_VALUE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class ServiceDefinition:
    """A municipal service as the default catalogue describes it."""

    slug: str
    name: str
    description: str
    is_internal: bool
    is_confidential: bool


@dataclass(frozen=True)
class Choice:
    """One choice of a choice field: the value stored, the label shown."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldDefinition:
    """One field of a démarche's form."""

    key: str
    label: str
    kind: FieldKind
    required: bool
    help_text: str
    choices: tuple[Choice, ...]

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
    data = entry.mapping(["slug", "name", "description", "is_internal"], {"is_confidential": False})
    slug = data["slug"].identifier(_SLUG, _SLUG_RULE, max_length=SLUG_LENGTH)
    refuse_repeat(seen, data["slug"], slug)
    return ServiceDefinition(
        slug=slug,
        name=data["name"].text(max_length=SERVICE_NAME_LENGTH),
        description=data["description"].text(),
        is_internal=data["is_internal"].boolean(),
        is_confidential=data["is_confidential"].boolean(),
    )


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
        ]
    )
    slug = data["slug"].identifier(_SLUG, _SLUG_RULE, max_length=SLUG_LENGTH)
    refuse_repeat(seen, data["slug"], slug)
    keywords = data["keywords"].text()
    if keywords != unaccent(keywords).lower():
        raise data["keywords"].error("en minuscules et sans accents")
    seen_keys: dict[str, str] = {}
    return RequestTypeDefinition(
        slug=slug,
        service=data["service"].one_of(services, "un service du catalogue"),
        name=data["name"].text(max_length=REQUEST_TYPE_NAME_LENGTH),
        description=data["description"].text(),
        visibility=Visibility(data["visibility"].one_of(Visibility.values, "une visibilité")),
        is_confidential=data["is_confidential"].boolean(),
        keywords=keywords,
        fields=tuple(_field(item, seen_keys) for item in data["fields"].sequence()),
    )


def _field(entry: Entry, seen: dict[str, str]) -> FieldDefinition:
    data = entry.mapping(
        ["key", "label", "kind"], {"required": False, "help_text": "", "choices": []}
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
    return FieldDefinition(
        key=key,
        label=data["label"].text(max_length=FIELD_LABEL_LENGTH),
        kind=kind,
        required=data["required"].boolean(),
        help_text=data["help_text"].text(blank=True, max_length=HELP_TEXT_LENGTH),
        choices=tuple(_choice(item, seen_values) for item in choices),
    )


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
