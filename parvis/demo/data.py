"""The demo corpus, read from ``corpus.yaml`` and checked against the default catalogue.

What the file holds (its header says how to write it): the fictional commune of
Saint-Aubin-sur-Loire's people, streets and associations, one demo agent per service, a few
scenarios per démarche and free-text emails. ``demo.actions`` turns it into ~200 tickets;
the benchmarks draw their requests from it.

The check refuses, with the file and the path of the entry: a scenario or an agent naming a
démarche or a service the default catalogue lacks; a démarche without scenarios (the
benchmark draws one for each); a scenario value for a field its démarche lacks, for a file
field, or that does not fit the field's kind (a ``YYYY-MM-DD`` date, a number, one of the
field's choice values, a location ``{address, lat, lon}``); a scenario leaving out a
required field; two agents for one service; an empty list of names or an empty text; a
subject longer than a ticket's. Django-free, like the catalogue's reader.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from parvis.catalog.data import Catalog, FieldDefinition, RequestTypeDefinition, default_catalog
from parvis.catalog.vocabulary import FieldKind
from parvis.core.datafiles import Entry, read_yaml, refuse_repeat, shown

CORPUS_FILE = Path(__file__).with_name("corpus.yaml")

SUBJECT_LENGTH = 200  # Ticket.subject's column
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Location:
    """A location field's value: what the citizen typed, and where it is if known."""

    address: str
    lat: float | None
    lon: float | None


type FieldValue = str | int | float | Location


@dataclass(frozen=True)
class Scenario:
    """One plausible request for a démarche, with an agent's reply and internal note.

    ``fields`` are (key, value) pairs in the file's order; dates are ``YYYY-MM-DD`` texts.
    """

    request_type: str
    subject: str
    description: str
    fields: tuple[tuple[str, FieldValue], ...]
    reply: str
    note: str


@dataclass(frozen=True)
class FreeTextEmail:
    """A message to the town hall's generic address, without a démarche."""

    subject: str
    body: str


@dataclass(frozen=True)
class DemoAgent:
    """The name of a service's demo agent."""

    service: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Corpus:
    """Everything the demo commune is made of."""

    commune_name: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    associations: tuple[str, ...]
    agents: tuple[DemoAgent, ...]
    scenarios: tuple[Scenario, ...]
    free_text_emails: tuple[FreeTextEmail, ...]

    def scenarios_for(self, request_type: str) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.request_type == request_type)

    def agent_for(self, service: str) -> DemoAgent | None:
        return next((agent for agent in self.agents if agent.service == service), None)


@functools.cache
def demo_corpus() -> Corpus:
    """The shipped corpus, read and checked once per process (its values are immutable)."""
    return corpus_from_document(
        read_yaml(CORPUS_FILE), catalog=default_catalog(), source=CORPUS_FILE.name
    )


def corpus_from_document(document: object, *, catalog: Catalog, source: str) -> Corpus:
    """Check a parsed corpus document against ``catalog``; ``source`` names it in the errors."""
    root = Entry(source, "", document).mapping(
        [
            "commune_name",
            "first_names",
            "last_names",
            "streets",
            "associations",
            "agents",
            "scenarios",
            "free_text_emails",
        ]
    )
    services = [service.slug for service in catalog.services]
    seen_agents: dict[str, str] = {}
    return Corpus(
        commune_name=root["commune_name"].text(),
        first_names=_texts(root["first_names"]),
        last_names=_texts(root["last_names"]),
        streets=_texts(root["streets"]),
        associations=_texts(root["associations"]),
        agents=tuple(_agent(entry, services, seen_agents) for entry in root["agents"].sequence()),
        scenarios=_scenarios(root["scenarios"], catalog),
        free_text_emails=tuple(
            _free_text_email(entry) for entry in root["free_text_emails"].sequence(empty=False)
        ),
    )


def _texts(entry: Entry) -> tuple[str, ...]:
    return tuple(item.text() for item in entry.sequence(empty=False))


def _agent(entry: Entry, services: list[str], seen: dict[str, str]) -> DemoAgent:
    data = entry.mapping(["service", "first_name", "last_name"])
    service = data["service"].one_of(services, "un service du catalogue")
    refuse_repeat(seen, data["service"], service)
    return DemoAgent(service, data["first_name"].text(), data["last_name"].text())


def _scenarios(entry: Entry, catalog: Catalog) -> tuple[Scenario, ...]:
    request_types = {definition.slug: definition for definition in catalog.request_types}
    scenarios: list[Scenario] = []
    for slug, group in entry.keyed():
        definition = request_types.get(slug)
        if definition is None:
            raise group.error(f"« {slug} » n'est pas une démarche du catalogue")
        scenarios += (_scenario(item, definition) for item in group.sequence(empty=False))
    missing = [slug for slug in request_types if not any(s.request_type == slug for s in scenarios)]
    if missing:
        raise entry.error(f"aucun scénario pour : {', '.join(missing)}")
    return tuple(scenarios)


def _scenario(entry: Entry, definition: RequestTypeDefinition) -> Scenario:
    data = entry.mapping(["subject", "description"], {"fields": {}, "reply": "", "note": ""})
    fields = {field.key: field for field in definition.fields}
    values = []
    for key, value in data["fields"].keyed():
        field = fields.get(key)
        if field is None:
            raise value.error(f"la démarche {definition.slug} n'a pas de champ « {key} »")
        values.append((key, _value(value, field)))
    given = dict(values)
    for field in definition.fields:
        condition = field.shown_when
        if condition is not None and given.get(condition.field) not in condition.values:
            if field.key in given:
                raise data["fields"].error(
                    f"« {field.key} » n'est demandé que si « {condition.field} » vaut "
                    f"{', '.join(condition.values)}"
                )
            continue
        if field.required and field.kind != FieldKind.FILE and field.key not in given:
            raise data["fields"].error(f"il manque le champ obligatoire « {field.key} »")
    return Scenario(
        request_type=definition.slug,
        subject=data["subject"].text(max_length=SUBJECT_LENGTH),
        description=data["description"].text(),
        fields=tuple(values),
        reply=data["reply"].text(blank=True),
        note=data["note"].text(blank=True),
    )


def _value(entry: Entry, field: FieldDefinition) -> FieldValue:
    """A field's value in a scenario, as the démarche's form would accept it."""
    if field.kind == FieldKind.FILE:
        raise entry.error("un champ « file » ne prend pas de valeur dans un scénario")
    if field.kind == FieldKind.DATE:
        return _date(entry)
    if field.kind == FieldKind.NUMBER:
        return _number(entry, field)
    if field.kind == FieldKind.CHOICE:
        return entry.one_of([choice.value for choice in field.choices], "un choix de ce champ")
    if field.kind == FieldKind.LOCATION:
        return _location(entry)
    return entry.text()


def _number(entry: Entry, field: FieldDefinition) -> int | float:
    """A number as the field takes it: whole if it must be, within its limits."""
    value = entry.number()
    if field.integer and value != int(value):
        raise entry.error(f"{value} : le champ « {field.key} » attend un nombre entier")
    low, high = field.min_value, field.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise entry.error(f"{value} : hors des limites du champ « {field.key} » ({low}, {high})")
    return value


def _date(entry: Entry) -> str:
    """YAML reads an unquoted 2026-03-12 as a date; a quoted one stays text. Both are fine."""
    value = entry.value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise entry.error(f"attendu : une date AAAA-MM-JJ ; trouvé {shown(value)}")


def _location(entry: Entry) -> Location:
    data = entry.mapping(["address"], {"lat": None, "lon": None})
    return Location(
        address=data["address"].text(),
        lat=_coordinate(data["lat"], 90),
        lon=_coordinate(data["lon"], 180),
    )


def _coordinate(entry: Entry, bound: int) -> float | None:
    if entry.value is None:
        return None
    value = entry.number()
    if not -bound <= value <= bound:
        raise entry.error(f"{value} : hors de [-{bound}, {bound}]")
    return float(value)


def _free_text_email(entry: Entry) -> FreeTextEmail:
    data = entry.mapping(["subject", "body"])
    return FreeTextEmail(data["subject"].text(max_length=SUBJECT_LENGTH), data["body"].text())
