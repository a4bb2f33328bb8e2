"""Every write on workflows: saving a version, starting a ticket on one, advancing it.

``workflow_advance`` is the engine: it checks the agent's right and the fields the
transition asks for, moves the ticket's status in its workflow version, calls the
lifecycle's ``transition`` when the state the status stands for changes, and records a
``workflow_step`` event. What the transition does next (tell the citizen, assign, set a
deadline, ask for a document) is done by the subscribers of that event
(``subscribers.py``), never here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.catalog.models import RequestType, Service
from parvis.tickets.lifecycle import transition as lifecycle_transition
from parvis.tickets.models import Event, Status, Ticket
from parvis.tickets.outbox import events_record
from parvis.workflows.models import (
    TicketWorkflow,
    Workflow,
    WorkflowStatus,
    WorkflowTransition,
    WorkflowVersion,
)
from parvis.workflows.permissions import may_perform, who_may
from parvis.workflows.selectors import current_version_ids, first_status, latest_version
from parvis.workflows.specs import WorkflowSpec, check
from parvis.workflows.values import clean_values, transition_fields


@transaction.atomic
def workflow_save_version(
    *,
    request_type: RequestType,
    spec: WorkflowSpec,
    actor: User | None,
    is_default: bool = False,
) -> WorkflowVersion:
    """Write ``spec`` as the démarche's next workflow version (its first: the workflow too).

    Versions are never edited: tickets filed under the previous one keep following it.
    """
    services = dict(Service.objects.values_list("slug", "pk"))
    check(spec, services=list(services))
    workflow, _created = Workflow.objects.get_or_create(request_type=request_type)
    # The workflow row locked: two administrators saving at once get two numbers.
    Workflow.objects.select_for_update().filter(pk=workflow.pk).get()
    number = (workflow.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = WorkflowVersion.objects.create(
        workflow=workflow, number=number, created_by=actor, is_default=is_default
    )
    statuses = {
        status.code: WorkflowStatus.objects.create(
            version=version,
            code=status.code,
            label=status.label.strip(),
            public_label=status.public_label.strip(),
            lifecycle_state=status.lifecycle_state,
            position=position,
        )
        for position, status in enumerate(spec.statuses)
    }
    WorkflowTransition.objects.bulk_create(
        WorkflowTransition(
            version=version,
            code=item.code,
            source=statuses[item.source],
            target=statuses[item.target],
            label=item.label.strip(),
            roles=list(item.roles),
            service_id=services[item.service] if item.service else None,
            fields=[field.as_data() for field in item.fields],
            actions=[action.as_data() for action in item.actions],
            position=position,
        )
        for position, item in enumerate(spec.transitions)
    )
    return version


def ticket_workflow_start(*, ticket: Ticket, actor: User | None) -> TicketWorkflow | None:
    """Put a new ticket at the first status of its démarche's current workflow version.

    Called in the creation's transaction (``intake_submit``, ADR 0026): a ticket is never
    seen without its status. None when the démarche has no workflow.
    """
    if ticket.request_type_id is None:
        return None
    version_id = current_version_ids().get(ticket.request_type_id)
    if version_id is None:
        return None
    first = first_status(version_id)
    if first is None:
        return None
    state = TicketWorkflow.objects.create(ticket=ticket, version_id=version_id, status=first)
    events_record(
        [
            Event(
                ticket=ticket,
                kind=Event.Kind.WORKFLOW_STEP,
                actor=actor,
                created_at=ticket.created_at,
                data=_step_facts(version_id, None, first, None, {}),
            )
        ]
    )
    return state


def _step_facts(
    version_id: int,
    source: WorkflowStatus | None,
    target: WorkflowStatus,
    transition: WorkflowTransition | None,
    values: dict[str, str],
) -> dict[str, object]:
    return {
        "version_id": version_id,
        "from": source.code if source else None,
        "to": target.code,
        "transition": transition.code if transition else None,
        "values": values,
        # Whether the citizen sees this step: the version is frozen, so this stays true.
        "public": bool(target.public_label) and source is not None,
    }


@transaction.atomic
def workflow_advance(
    *,
    ticket: Ticket,
    transition: WorkflowTransition,
    actor: User,
    values: dict[str, object],
) -> TicketWorkflow:
    """Make ``transition`` on the ticket, for ``actor``, with the values it asks for.

    Refused, with a French ValidationError: a ticket outside a workflow, a transition of
    another version or from another status than the ticket's (someone moved it meanwhile),
    an agent without the right, a required value missing or malformed (then by field key).
    """
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    try:
        state = TicketWorkflow.objects.select_for_update().get(ticket=current)
    except TicketWorkflow.DoesNotExist:
        raise ValidationError(_("Cette demande ne suit pas de circuit.")) from None
    source = WorkflowStatus.objects.get(pk=state.status_id)
    if transition.version_id != state.version_id or transition.source_id != source.pk:
        raise ValidationError(
            _(
                "La demande est à l'étape « %(status)s » : cette action n'y est pas possible "
                "(quelqu'un l'a peut-être fait avancer entre-temps ; rechargez la page)."
            )
            % {"status": source.label}
        )
    if not may_perform(actor, transition, current):
        raise ValidationError(
            _("Vous ne pouvez pas faire « %(action)s » : c'est réservé à %(who)s.")
            % {"action": transition.label, "who": who_may(transition, current)}
        )
    cleaned = clean_values(transition_fields(transition.fields), values)
    target = WorkflowStatus.objects.get(pk=transition.target_id)
    now = timezone.now()
    events: list[Event] = []
    fields = ["updated_at"]
    if target.lifecycle_state != current.status:
        status_event = lifecycle_transition(current, Status(target.lifecycle_state), actor=actor)
        if status_event is not None:
            # The citizen's resolution notice leaves this one to the workflow's actions.
            status_event.data["workflow_version_id"] = state.version_id
            events.append(status_event)
            fields += ["status", "resolved_at"]
    events.append(
        Event(
            ticket=current,
            kind=Event.Kind.WORKFLOW_STEP,
            actor=actor,
            data=_step_facts(state.version_id, source, target, transition, cleaned),
        )
    )
    current.updated_at = now
    current.save(update_fields=fields)
    for name in fields:
        setattr(ticket, name, getattr(current, name))
    state.status = target
    state.updated_at = now
    state.save(update_fields=["status", "updated_at"])
    events_record(events)
    return state


@transaction.atomic
def workflows_load_defaults() -> dict[str, int]:
    """Install the shipped workflows on the démarches of the database that match their slugs.

    A démarche without a workflow gets version 1; one whose current version is the shipped
    one, and the file changed, gets the new shipped version; one whose current version an
    administrator saved is left as it is.
    """
    from parvis.workflows.data import default_workflows
    from parvis.workflows.selectors import version_spec

    created = {"workflows": 0, "versions": 0}
    types = {rt.slug: rt for rt in RequestType.objects.all()}
    for default in default_workflows():
        for slug in default.request_types:
            request_type = types.get(slug)
            if request_type is None:
                continue
            version = latest_version(request_type.pk)
            if version is not None and (
                not version.is_default or version_spec(version) == default.spec
            ):
                continue
            workflow_save_version(
                request_type=request_type, spec=default.spec, actor=None, is_default=True
            )
            created["workflows" if version is None else "versions"] += 1
    return created
