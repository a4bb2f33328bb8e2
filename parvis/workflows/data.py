"""The shipped workflows, read from ``default_workflows.yaml`` and checked on the way.

The file's header says how to write it. Each entry becomes a ``WorkflowSpec`` per démarche
slug; ``specs.check`` (which needs the services of the database) runs when it is installed.
Here, the file's shape is checked: keys, codes, kinds, roles, states, démarche slugs given
twice, statuses a transition names — a mistake names the file and the entry's path.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from parvis.core.datafiles import Entry, read_yaml, refuse_repeat
from parvis.workflows.specs import (
    ActionSpec,
    FieldSpec,
    StatusSpec,
    TransitionSpec,
    WorkflowSpec,
)
from parvis.workflows.vocabulary import ActionKind, DeadlineKind, FieldKind

WORKFLOWS_FILE = Path(__file__).with_name("default_workflows.yaml")
STATES = ("new", "in_progress", "waiting", "resolved", "closed")
ROLES = ("agent", "manager", "elected")


@dataclass(frozen=True)
class DefaultWorkflow:
    """A shipped workflow and the démarches (slugs) it is installed for."""

    request_types: tuple[str, ...]
    spec: WorkflowSpec


@functools.cache
def default_workflows() -> tuple[DefaultWorkflow, ...]:
    return workflows_from_document(read_yaml(WORKFLOWS_FILE), source=WORKFLOWS_FILE.name)


def workflows_from_document(document: object, *, source: str) -> tuple[DefaultWorkflow, ...]:
    root = Entry(source, "", document).mapping(["workflows"])
    seen: dict[str, str] = {}
    return tuple(_workflow(entry, seen) for entry in root["workflows"].sequence())


def _workflow(entry: Entry, seen: dict[str, str]) -> DefaultWorkflow:
    data = entry.mapping(["request_types", "statuses", "transitions"])
    slugs = []
    for item in data["request_types"].sequence(empty=False):
        slug = item.text()
        refuse_repeat(seen, item, slug)
        slugs.append(slug)
    statuses = tuple(_status(item) for item in data["statuses"].sequence(empty=False))
    codes = [status.code for status in statuses]
    transitions = tuple(_transition(item, codes) for item in data["transitions"].sequence())
    return DefaultWorkflow(tuple(slugs), WorkflowSpec(statuses, transitions))


def _status(entry: Entry) -> StatusSpec:
    data = entry.mapping(["code", "label", "state"], {"public_label": ""})
    return StatusSpec(
        code=data["code"].text(),
        label=data["label"].text(),
        lifecycle_state=data["state"].one_of(STATES, "un état de la demande"),
        public_label=data["public_label"].text(blank=True),
    )


def _transition(entry: Entry, codes: list[str]) -> TransitionSpec:
    data = entry.mapping(
        ["code", "from", "to", "label"],
        {"roles": [], "service": "", "fields": [], "actions": []},
    )
    return TransitionSpec(
        code=data["code"].text(),
        source=data["from"].one_of(codes, "une étape de ce circuit"),
        target=data["to"].one_of(codes, "une étape de ce circuit"),
        label=data["label"].text(),
        roles=tuple(item.one_of(ROLES, "un rôle") for item in data["roles"].sequence()),
        service=data["service"].text(blank=True),
        fields=tuple(_field(item) for item in data["fields"].sequence()),
        actions=tuple(_action(item) for item in data["actions"].sequence()),
    )


def _field(entry: Entry) -> FieldSpec:
    data = entry.mapping(["key", "label", "kind"], {"required": True, "public": False})
    return FieldSpec(
        key=data["key"].text(),
        label=data["label"].text(),
        kind=data["kind"].one_of(FieldKind.values, "un type de champ"),
        required=data["required"].boolean(),
        public=data["public"].boolean(),
    )


def _action(entry: Entry) -> ActionSpec:
    kind_entry = Entry(entry.source, entry.path, entry.value).mapping(
        ["kind"],
        {
            "message": None,
            "document": None,
            "role": None,
            "days": None,
            "working": None,
            "deadline_kind": None,
        },
    )
    kind = kind_entry["kind"].one_of(ActionKind.values, "une action")
    if kind == ActionKind.NOTIFY_CITIZEN:
        data = entry.mapping(["kind"], {"message": ""})
        return ActionSpec(kind, {"message": data["message"].text(blank=True)})
    if kind == ActionKind.REQUEST_DOCUMENT:
        data = entry.mapping(["kind", "document"])
        return ActionSpec(kind, {"document": data["document"].text()})
    if kind == ActionKind.ASSIGN_ROLE:
        data = entry.mapping(["kind", "role"])
        return ActionSpec(kind, {"role": data["role"].one_of(ROLES, "un rôle")})
    data = entry.mapping(["kind", "days"], {"working": True, "deadline_kind": DeadlineKind.SLA})
    days = data["days"].number()
    if not isinstance(days, int):
        raise data["days"].error("un nombre entier de jours")
    return ActionSpec(
        kind,
        {
            "days": days,
            "working": data["working"].boolean(),
            "deadline_kind": data["deadline_kind"].one_of(DeadlineKind.values, "un type de délai"),
        },
    )
