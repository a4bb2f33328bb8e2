"""The default rooms and equipment, read from ``default_resources.yaml`` and checked first.

The check refuses, with the file and the path of the entry: a kind other than ``room`` or
``equipment``, a slug given twice or not written in lower case with hyphens, an empty name,
a name longer than its column, a capacity or quantity that is not a whole number above
zero. Whether its service and démarche exist is checked against the catalogue file by the
tests (``test_default_resources.py``), and against the database when it is loaded.
Django-free, like the catalogue's reader.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from parvis.core.datafiles import Entry, read_yaml, refuse_repeat

RESOURCES_FILE = Path(__file__).with_name("default_resources.yaml")
KINDS = ("room", "equipment")
SLUG_LENGTH = 50
NAME_LENGTH = 120
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class ResourceDefinition:
    """A bookable resource as the default file describes it."""

    slug: str
    name: str
    kind: str
    service: str
    request_type: str
    capacity: int | None
    quantity: int | None
    description: str


@functools.cache
def default_resources() -> tuple[ResourceDefinition, ...]:
    """The shipped file's resources, read and checked once per process."""
    return read_resources(RESOURCES_FILE)


def read_resources(path: Path) -> tuple[ResourceDefinition, ...]:
    top = Entry(path.name, "", read_yaml(path)).mapping(["resources"])
    seen: dict[str, str] = {}
    resources = []
    for entry in top["resources"].sequence():
        keys = entry.mapping(
            ["slug", "name", "kind", "service", "request_type"],
            {"capacity": None, "quantity": None, "description": ""},
        )
        slug = keys["slug"].identifier(
            _SLUG, "minuscules sans accents, chiffres, tirets", max_length=SLUG_LENGTH
        )
        refuse_repeat(seen, keys["slug"], slug)
        resources.append(
            ResourceDefinition(
                slug=slug,
                name=keys["name"].text(max_length=NAME_LENGTH),
                kind=keys["kind"].one_of(KINDS, "un type de ressource"),
                service=keys["service"].text(),
                request_type=keys["request_type"].text(),
                capacity=_count(keys["capacity"]),
                quantity=_count(keys["quantity"]),
                description=keys["description"].text(blank=True),
            )
        )
    return tuple(resources)


def _count(entry: Entry) -> int | None:
    if entry.value is None:
        return None
    value = entry.number()
    if not isinstance(value, int) or value < 1:
        raise entry.error(f"attendu : un nombre entier supérieur à 0 ; trouvé « {value} »")
    return value
