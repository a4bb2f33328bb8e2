"""A transition's actions, as subscribers of its ``workflow_step`` event (ADR 0012).

Each reads the transition's configuration in the version the event names, so that an edit
of a workflow never touches an action, and a ticket filed under an older version gets that
version's actions. Telling the citizen and asking for a document make one mail — or, to a
citizen who chose SMS, one text naming the step's public label (none for a hidden step);
assigning goes through ``ticket_assign`` as Parvis; a deadline goes to the SLA app's hook.
"""

from typing import Any

from parvis.accounts.models import Membership
from parvis.accounts.selectors import system_actor
from parvis.notifications.actions import mail_write, sms_write
from parvis.notifications.models import Template
from parvis.notifications.sms import sms_wanted
from parvis.tickets.actions import ticket_assign
from parvis.tickets.models import Event, NotifyBy
from parvis.tickets.outbox import subscriber
from parvis.workflows.deadlines import DeadlineRequest, deadline_request
from parvis.workflows.models import WorkflowStatus, WorkflowTransition
from parvis.workflows.values import transition_fields, value_rows
from parvis.workflows.vocabulary import ActionKind, DeadlineKind


def _transition(event: Event) -> WorkflowTransition | None:
    data = event.data or {}
    if not data.get("transition"):
        return None  # the ticket's start: no transition, no action
    return (
        WorkflowTransition.objects.select_related("target")
        .filter(version_id=data.get("version_id"), code=data["transition"])
        .first()
    )


def _actions(transition: WorkflowTransition, kind: str) -> list[dict[str, Any]]:
    return [action for action in transition.actions if action.get("kind") == kind]


def _tells_the_citizen(transition: WorkflowTransition) -> bool:
    return bool(
        _actions(transition, ActionKind.NOTIFY_CITIZEN)
        or _actions(transition, ActionKind.REQUEST_DOCUMENT)
    )


def _wants_mail(event: Event) -> bool:
    # A step the citizen sees, to a citizen told by mail (by SMS: ``workflow_citizen_sms``).
    ticket = event.ticket
    return bool(
        (event.data or {}).get("public")
        and ticket.requester_email
        and ticket.notify_by == NotifyBy.EMAIL
    )


@subscriber("workflow_citizen_mail", Event.Kind.WORKFLOW_STEP, wants=_wants_mail)
def workflow_citizen_mail(event: Event) -> None:
    """One mail for the step, when the transition says to tell the citizen or ask a document."""
    transition = _transition(event)
    if transition is None or not _tells_the_citizen(transition):
        return
    notices = _actions(transition, ActionKind.NOTIFY_CITIZEN)
    documents = [a["document"] for a in _actions(transition, ActionKind.REQUEST_DOCUMENT)]
    target: WorkflowStatus = transition.target
    mail_write(
        ticket=event.ticket,
        event=event,
        template=Template.WORKFLOW_STEP,
        context={
            "step": target.public_label,
            "step_message": "\n\n".join(str(a.get("message", "")) for a in notices).strip(),
            "step_values": value_rows(
                transition_fields(transition.fields),
                (event.data or {}).get("values") or {},
                public_only=True,
            ),
            "documents": documents,
        },
    )


def _wants_sms(event: Event) -> bool:
    # A step the citizen sees (the event says it: the version is frozen), told by SMS.
    return bool((event.data or {}).get("public")) and sms_wanted(event.ticket)


@subscriber("workflow_citizen_sms", Event.Kind.WORKFLOW_STEP, wants=_wants_sms)
def workflow_citizen_sms(event: Event) -> None:
    """The step in a few words, by its public label, when the transition tells the citizen."""
    if not _wants_sms(event):  # the provider may have been removed since the event
        return
    transition = _transition(event)
    if transition is None or not _tells_the_citizen(transition):
        return
    sms_write(
        ticket=event.ticket,
        event=event,
        template=Template.WORKFLOW_STEP,
        context={"step": transition.target.public_label},
    )


@subscriber("workflow_assign", Event.Kind.WORKFLOW_STEP)
def workflow_assign(event: Event) -> None:
    """Give the ticket to the first member (by name) of its service with the role asked."""
    transition = _transition(event)
    if transition is None:
        return
    for action in _actions(transition, ActionKind.ASSIGN_ROLE):
        member = (
            Membership.objects.filter(
                service_id=event.ticket.service_id, role=action.get("role"), user__is_active=True
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__pk")
            .first()
        )
        if member is not None:
            ticket_assign(ticket=event.ticket, actor=system_actor(), assignee=member.user)


@subscriber("workflow_deadline", Event.Kind.WORKFLOW_STEP)
def workflow_deadline(event: Event) -> None:
    """Hand each deadline the transition asks for to the SLA app (``deadlines``)."""
    transition = _transition(event)
    if transition is None:
        return
    for action in _actions(transition, ActionKind.SET_DEADLINE):
        deadline_request(
            DeadlineRequest(
                ticket=event.ticket,
                event=event,
                days=int(action["days"]),
                working=bool(action.get("working", True)),
                deadline_kind=str(action.get("deadline_kind", DeadlineKind.SLA)),
            )
        )
