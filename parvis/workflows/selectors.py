"""Reads of workflows: a démarche's current version, a ticket's step and its buttons."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from parvis.accounts.models import User
from parvis.catalog.models import RequestType
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.tickets.models import Event, Ticket
from parvis.workflows.models import (
    TicketWorkflow,
    WorkflowStatus,
    WorkflowTransition,
    WorkflowVersion,
)
from parvis.workflows.permissions import may_perform, member_roles, who_may
from parvis.workflows.specs import (
    StatusSpec,
    TransitionSpec,
    WorkflowSpec,
    action_from_data,
    field_from_data,
)


def current_version_ids() -> Mapping[int, int]:
    """Démarche id → the id of its workflow's current version, for démarches with one.

    Kept by each process under the catalogue's version (a saved version bumps it): filing a
    ticket of a démarche without a workflow costs no query.
    """

    def load() -> Mapping[int, int]:
        rows = WorkflowVersion.objects.order_by("number").values_list(
            "workflow__request_type_id", "pk"
        )
        return MappingProxyType(dict(rows))  # the last one read, the highest number, wins

    return memo(CATALOGUE, "workflow-current-versions", load)


def first_status(version_id: int) -> WorkflowStatus | None:
    """The status a new ticket of this version starts at (the lowest position).

    A version is never edited once written (``workflow_save_version``, in one transaction):
    each process keeps the row, and each caller gets an instance of its own.
    """

    def load() -> Row[WorkflowStatus] | None:
        first = (
            WorkflowStatus.objects.filter(version_id=version_id).order_by("position", "pk").first()
        )
        return Row.of(first) if first is not None else None

    row = memo(CATALOGUE, f"workflow-first-status:{version_id}", load)
    return row.instance() if row is not None else None


def latest_version(request_type_id: int) -> WorkflowVersion | None:
    """The version new tickets of this démarche are filed under (None: no workflow)."""
    return (
        WorkflowVersion.objects.filter(workflow__request_type_id=request_type_id)
        .order_by("-number")
        .first()
    )


def ticket_step(ticket: Ticket) -> TicketWorkflow | None:
    """Where the ticket stands in its workflow, with its status and version (None: none)."""
    return (
        TicketWorkflow.objects.select_related("status", "version")
        .filter(ticket_id=ticket.pk)
        .first()
    )


@dataclass(frozen=True)
class Button:
    """A transition from the ticket's status, and whether this agent may make it."""

    transition: WorkflowTransition
    allowed: bool
    who: str


def ticket_buttons(user: User, ticket: Ticket, step: TicketWorkflow) -> list[Button]:
    """The transitions out of the ticket's status, in order, each said allowed or not."""

    roles = member_roles(user)
    exits = WorkflowTransition.objects.filter(source_id=step.status_id).select_related("target")
    return [
        Button(t, may_perform(user, t, ticket, roles), who_may(t, ticket))
        for t in exits.order_by("position", "pk")
    ]


def transition_of(step: TicketWorkflow, transition_id: int) -> WorkflowTransition | None:
    """A transition of the ticket's version (else None): what a button posts."""
    return WorkflowTransition.objects.filter(pk=transition_id, version_id=step.version_id).first()


def last_public_label(events: Iterable[Event], step: TicketWorkflow) -> str:
    """What the citizen reads as the ticket's step: the current status's public label, or the
    last public one it went through (a hidden step keeps the previous label), or nothing."""
    if step.status.public_label:
        return step.status.public_label
    reached = [
        e.data.get("to")
        for e in events
        if e.kind == Event.Kind.WORKFLOW_STEP and (e.data or {}).get("public")
    ]
    if not reached:
        return ""
    status = WorkflowStatus.objects.filter(version_id=step.version_id, code=reached[-1]).first()
    return status.public_label if status else ""


def version_spec(version: WorkflowVersion) -> WorkflowSpec:
    """A version's content as plain values (the editor's starting point; the defaults' check)."""
    statuses = list(version.statuses.order_by("position", "pk"))
    codes = {status.pk: status.code for status in statuses}
    transitions = version.transitions.select_related("service").order_by("position", "pk")
    return WorkflowSpec(
        statuses=tuple(
            StatusSpec(s.code, s.label, s.lifecycle_state, s.public_label) for s in statuses
        ),
        transitions=tuple(
            TransitionSpec(
                code=t.code,
                source=codes[t.source_id],
                target=codes[t.target_id],
                label=t.label,
                roles=tuple(t.roles),
                service=t.service.slug if t.service else "",
                fields=tuple(field_from_data(item) for item in t.fields),
                actions=tuple(action_from_data(item) for item in t.actions),
            )
            for t in transitions
        ),
    )


def public_step_label(ticket: Ticket, events: list[Event]) -> str:
    """The step the citizen reads on their tracking page ("" outside a workflow).

    ``events``: the ticket's, as the page read them; without a ``workflow_step`` among them
    the ticket follows no workflow, and no query is made.
    """
    if not any(event.kind == Event.Kind.WORKFLOW_STEP for event in events):
        return ""
    step = ticket_step(ticket)
    return last_public_label(events, step) if step else ""


def demarches_with_workflows() -> list[tuple[RequestType, WorkflowVersion | None]]:
    """Every démarche, by service, with its workflow's current version (None: no workflow)."""
    latest: dict[int, WorkflowVersion] = {}
    for version in WorkflowVersion.objects.select_related("workflow").order_by("number"):
        latest[version.workflow.request_type_id] = version
    types = RequestType.objects.select_related("service").order_by(
        "service__position", "service__name", "position", "name"
    )
    return [(request_type, latest.get(request_type.pk)) for request_type in types]
