"""The agents' notices, as subscribers of ticket events: the citizen wrote, a mail to them
came back undelivered, a deadline is near or past (``parvis.sla``'s escalations).

Who is told: the ticket's assignee, or every member of its service while nobody has it —
active agents with an address, never the one who did it (an agent typing in the citizen's
phone message knows). A delay notice (a bounce that is not permanent) tells nobody: the
mail server is still trying.
"""

from parvis.accounts.models import Membership, User
from parvis.notifications.actions import agent_notice_write
from parvis.notifications.models import Template
from parvis.tickets.models import Event, Ticket
from parvis.tickets.outbox import subscriber

_TEMPLATES: dict[str, str] = {
    Event.Kind.CITIZEN_MESSAGE: Template.AGENT_CITIZEN_MESSAGE,
    Event.Kind.FOLLOW_UP: Template.AGENT_CITIZEN_MESSAGE,
    Event.Kind.MAIL_BOUNCED: Template.AGENT_BOUNCE,
}


@subscriber(
    "agent_email", Event.Kind.CITIZEN_MESSAGE, Event.Kind.FOLLOW_UP, Event.Kind.MAIL_BOUNCED
)
def agent_email(event: Event) -> None:
    if event.kind == Event.Kind.MAIL_BOUNCED and not (event.data or {}).get("permanent", True):
        return
    agents = agents_to_tell(event.ticket, actor_id=event.actor_id)
    if agents:
        agent_notice_write(
            ticket=event.ticket, event=event, template=_TEMPLATES[event.kind], agents=agents
        )


@subscriber("agent_deadline_email", Event.Kind.DEADLINE_WARNING, Event.Kind.DEADLINE_OVERDUE)
def agent_deadline_email(event: Event) -> None:
    """A deadline near: the assignee (else the service) is told; overdue: the heads of service
    (else, when the service has none, the assignee or the service)."""
    if event.kind == Event.Kind.DEADLINE_OVERDUE:
        template = Template.AGENT_DEADLINE_OVERDUE
        agents = heads_of_service(event.ticket) or agents_to_tell(event.ticket, actor_id=None)
    else:
        template = Template.AGENT_DEADLINE_WARNING
        agents = agents_to_tell(event.ticket, actor_id=None)
    if agents:
        agent_notice_write(ticket=event.ticket, event=event, template=template, agents=agents)


def heads_of_service(ticket: Ticket) -> list[User]:
    """The active heads of the ticket's service (``Membership.Role.MANAGER``) with an address."""
    return list(
        User.objects.filter(
            memberships__service_id=ticket.service_id,
            memberships__role=Membership.Role.MANAGER,
            is_active=True,
            is_system=False,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def agents_to_tell(ticket: Ticket, *, actor_id: int | None) -> list[User]:
    """The assignee, else the service's members: active, with an address, not the actor."""
    if ticket.assignee_id is not None:
        agents = User.objects.filter(pk=ticket.assignee_id)
    else:
        agents = User.objects.filter(memberships__service_id=ticket.service_id)
    agents = agents.filter(is_active=True, is_system=False).exclude(email="")
    if actor_id is not None:
        agents = agents.exclude(pk=actor_id)
    return list(agents.distinct().order_by("pk"))
