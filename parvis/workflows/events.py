"""How a ``workflow_step`` event reads, registered in the one registry (``tickets.events``).

The labels come from the workflow version the event names, looked up once per timeline
(``step_names``): agents read every step with the values typed; the citizen reads only the
steps with a public label, and the values marked public.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from parvis.tickets.events import Audience, EventKind, Names, register
from parvis.tickets.models import Event
from parvis.workflows.models import WorkflowStatus, WorkflowTransition
from parvis.workflows.specs import FieldSpec, field_from_data
from parvis.workflows.values import value_rows

STATUSES = "workflow_statuses"  # (version id, code) → (label, public label)
TRANSITIONS = "workflow_transitions"  # (version id, code) → (button label, fields)


def step_names(events: list[Event], audience: Audience) -> Mapping[str, Any]:
    """The labels of the statuses and transitions these events name: two queries."""
    versions = {(e.data or {}).get("version_id") for e in events} - {None}
    statuses = {
        (s.version_id, s.code): (s.label, s.public_label)
        for s in WorkflowStatus.objects.filter(version_id__in=versions)
    }
    transitions = {
        (t.version_id, t.code): (t.label, [field_from_data(item) for item in t.fields])
        for t in WorkflowTransition.objects.filter(version_id__in=versions)
    }
    return {STATUSES: statuses, TRANSITIONS: transitions}


def _status(data: Mapping[str, Any], names: Names, code: object) -> tuple[str, str]:
    found = names.extra.get(STATUSES, {}).get((data.get("version_id"), code))
    return found if found else (str(code), "")


def _fields(data: Mapping[str, Any], names: Names) -> list[FieldSpec]:
    found = names.extra.get(TRANSITIONS, {}).get((data.get("version_id"), data.get("transition")))
    return found[1] if found else []


def _values_text(data: Mapping[str, Any], names: Names, *, public_only: bool) -> str:
    rows = value_rows(_fields(data, names), data.get("values") or {}, public_only=public_only)
    return "".join(f" — {label} : {value}" for label, value in rows)


def _agent(data: Mapping[str, Any], names: Names) -> str:
    target = _status(data, names, data.get("to"))[0]
    if data.get("from") is None:
        return _("Circuit de traitement : la demande commence à l'étape « %(to)s »") % {
            "to": target
        }
    found = names.extra.get(TRANSITIONS, {}).get((data.get("version_id"), data.get("transition")))
    text = _("Étape : %(from)s → %(to)s (« %(action)s »)") % {
        "from": _status(data, names, data.get("from"))[0],
        "to": target,
        "action": found[0] if found else data.get("transition", ""),
    }
    return text + _values_text(data, names, public_only=False)


def _citizen(data: Mapping[str, Any], names: Names) -> str:
    label = _status(data, names, data.get("to"))[1]
    text = _("Étape : %(status)s") % {"status": label or _("en cours de traitement")}
    return text + _values_text(data, names, public_only=True)


def register_kind() -> None:
    register(
        Event.Kind.WORKFLOW_STEP,
        EventKind(agent=_agent, citizen=_citizen, citizen_when=lambda d: bool(d.get("public"))),
        names=step_names,
    )
