"""A workflow version's content as plain values, and the one check it passes before it is written.

The shipped defaults (``data.py``), the back office's editor and the tests all describe a
version as a ``WorkflowSpec``; ``actions.workflow_save_version`` writes it, after ``check``.
Errors are French sentences naming the status or transition at fault.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parvis.accounts.models import Membership
from parvis.tickets.lifecycle import can_move
from parvis.tickets.models import Status
from parvis.workflows.vocabulary import (
    CODE_LENGTH,
    LABEL_LENGTH,
    ActionKind,
    DeadlineKind,
    FieldKind,
)

CODE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
TEXT_LENGTH = 2000  # a message or a document's description in an action


@dataclass(frozen=True)
class StatusSpec:
    """A step: its code, its labels (no public label: hidden from the citizen), its state."""

    code: str
    label: str
    lifecycle_state: str
    public_label: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """What the agent types at a transition; a public value is shown to the citizen."""

    key: str
    label: str
    kind: str = FieldKind.TEXT
    required: bool = True
    public: bool = False

    def as_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "required": self.required,
            "public": self.public,
        }


@dataclass(frozen=True)
class ActionSpec:
    """What follows a transition: ``kind`` (``ActionKind``) and its parameters.

    ``notify_citizen``: ``message`` (may be empty: the mail names the new step);
    ``request_document``: ``document`` (what to send); ``assign_role``: ``role`` (a
    membership role of the ticket's service); ``set_deadline``: ``days``, ``working``
    (working days, else calendar days), ``deadline_kind`` (``DeadlineKind``).
    """

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params}


@dataclass(frozen=True)
class TransitionSpec:
    """A move between two statuses (codes); ``service`` a service slug, empty: the ticket's."""

    code: str
    source: str
    target: str
    label: str
    roles: tuple[str, ...] = ()
    service: str = ""
    fields: tuple[FieldSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class WorkflowSpec:
    """Statuses in order (a ticket starts at the first) and the transitions between them."""

    statuses: tuple[StatusSpec, ...]
    transitions: tuple[TransitionSpec, ...]


def action_from_data(data: Mapping[str, Any]) -> ActionSpec:
    return ActionSpec(
        kind=str(data.get("kind", "")), params={k: v for k, v in data.items() if k != "kind"}
    )


def field_from_data(data: Mapping[str, Any]) -> FieldSpec:
    return FieldSpec(
        key=str(data.get("key", "")),
        label=str(data.get("label", "")),
        kind=str(data.get("kind", FieldKind.TEXT)),
        required=bool(data.get("required", True)),
        public=bool(data.get("public", False)),
    )


def check(spec: WorkflowSpec, *, services: Sequence[str]) -> None:
    """Refuse a workflow that could not run; ``services``: the slugs that exist."""
    errors: list[str] = []
    if not spec.statuses:
        errors.append(_("Un circuit a au moins une étape."))
    states: dict[str, str] = {}
    for position, status in enumerate(spec.statuses, start=1):
        where = _("Étape %(n)s") % {"n": position}
        errors += _code_errors(where, status.code, states)
        states[status.code] = status.lifecycle_state
        errors += _label_errors(where, status.label, _("libellé"))
        if len(status.public_label) > LABEL_LENGTH:
            errors.append(_("%(where)s : libellé pour l'usager trop long.") % {"where": where})
        if status.lifecycle_state not in Status.values:
            errors.append(_("%(where)s : état de la demande inconnu.") % {"where": where})
    if spec.statuses and spec.statuses[0].lifecycle_state != Status.NEW:
        errors.append(
            _("La première étape, où commence toute demande, doit avoir l'état « %(new)s ».")
            % {"new": Status.NEW.label}
        )
    seen: dict[str, str] = {}
    hidden = {status.code: status.label for status in spec.statuses if not status.public_label}
    for transition in spec.transitions:
        errors += _transition_errors(transition, states, seen, services)
        errors += _hidden_target_errors(transition, hidden)
    if errors:
        raise ValidationError(errors)


def _code_errors(where: str, code: str, seen: Mapping[str, object]) -> list[str]:
    if not code or len(code) > CODE_LENGTH or not CODE.fullmatch(code):
        return [
            _(
                "%(where)s : le code « %(code)s » doit être en minuscules sans accents, "
                "chiffres, tirets ou soulignés (%(max)s caractères au plus)."
            )
            % {"where": where, "code": code, "max": CODE_LENGTH}
        ]
    if code in seen:
        return [
            _("%(where)s : le code « %(code)s » est déjà pris.") % {"where": where, "code": code}
        ]
    return []


def _label_errors(where: str, label: str, what: str) -> list[str]:
    if not label.strip():
        return [_("%(where)s : indiquez le %(what)s.") % {"where": where, "what": what}]
    if len(label) > LABEL_LENGTH:
        return [
            _("%(where)s : %(what)s trop long (%(max)s caractères au plus).")
            % {"where": where, "what": what, "max": LABEL_LENGTH}
        ]
    return []


def _transition_errors(
    transition: TransitionSpec,
    states: Mapping[str, str],
    seen: dict[str, str],
    services: Sequence[str],
) -> list[str]:
    where = _("Transition « %(label)s »") % {"label": transition.label or transition.code}
    errors = _code_errors(where, transition.code, seen)
    seen[transition.code] = transition.code
    errors += _label_errors(where, transition.label, _("libellé du bouton"))
    source, target = states.get(transition.source), states.get(transition.target)
    if source is None or target is None:
        errors.append(
            _("%(where)s : choisissez une étape de départ et d'arrivée.") % {"where": where}
        )
    elif transition.source == transition.target:
        errors.append(_("%(where)s : l'étape d'arrivée est celle de départ.") % {"where": where})
    elif source != target and not can_move(source, target):
        errors.append(
            _("%(where)s : une demande « %(from)s » ne peut pas passer « %(to)s ».")
            % {"where": where, "from": Status(source).label, "to": Status(target).label}
        )
    for role in transition.roles:
        if role not in Membership.Role.values:
            errors.append(
                _("%(where)s : rôle « %(role)s » inconnu.") % {"where": where, "role": role}
            )
    if transition.service and transition.service not in services:
        errors.append(
            _("%(where)s : service « %(service)s » inconnu.")
            % {"where": where, "service": transition.service}
        )
    keys: dict[str, str] = {}
    for item in transition.fields:
        errors += _field_errors(where, item, keys)
    for action in transition.actions:
        errors += _action_errors(where, action)
    return errors


def _hidden_target_errors(transition: TransitionSpec, hidden: Mapping[str, str]) -> list[str]:
    """The citizen is told of a step by its public label: a hidden step tells them nothing."""
    tells = {ActionKind.NOTIFY_CITIZEN, ActionKind.REQUEST_DOCUMENT}
    if transition.target not in hidden or not any(a.kind in tells for a in transition.actions):
        return []
    return [
        _(
            "Transition « %(label)s » : l'usager ne voit pas l'étape « %(step)s » ; pour le "
            "prévenir ou lui demander une pièce, donnez à cette étape un libellé pour l'usager."
        )
        % {"label": transition.label or transition.code, "step": hidden[transition.target]}
    ]


def _field_errors(where: str, item: FieldSpec, keys: dict[str, str]) -> list[str]:
    field_where = _("%(where)s, champ « %(label)s »") % {"where": where, "label": item.label}
    errors = _code_errors(field_where, item.key, keys)
    keys[item.key] = item.key
    errors += _label_errors(field_where, item.label, _("libellé"))
    if item.kind not in FieldKind.values:
        errors.append(_("%(where)s : type de champ inconnu.") % {"where": field_where})
    return errors


def _action_errors(where: str, action: ActionSpec) -> list[str]:
    params = action.params
    if action.kind not in ActionKind.values:
        return [
            _("%(where)s : action « %(kind)s » inconnue.") % {"where": where, "kind": action.kind}
        ]
    label = ActionKind(action.kind).label
    action_where = _("%(where)s, action « %(action)s »") % {"where": where, "action": label}
    if action.kind == ActionKind.NOTIFY_CITIZEN:
        if len(str(params.get("message", ""))) > TEXT_LENGTH:
            return [_("%(where)s : message trop long.") % {"where": action_where}]
    elif action.kind == ActionKind.REQUEST_DOCUMENT:
        document = str(params.get("document", "")).strip()
        if not document or len(document) > TEXT_LENGTH:
            return [_("%(where)s : indiquez la pièce demandée.") % {"where": action_where}]
    elif action.kind == ActionKind.ASSIGN_ROLE:
        if params.get("role") not in Membership.Role.values:
            return [_("%(where)s : choisissez un rôle.") % {"where": action_where}]
    elif action.kind == ActionKind.SET_DEADLINE:
        days = params.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 3660:
            return [
                _("%(where)s : le délai est un nombre de jours entre 1 et 3660.")
                % {"where": action_where}
            ]
        if params.get("deadline_kind", DeadlineKind.SLA) not in DeadlineKind.values:
            return [_("%(where)s : type de délai inconnu.") % {"where": action_where}]
    return []
