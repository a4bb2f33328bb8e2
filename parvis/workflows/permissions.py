"""Who may make a transition: the roles and the service it names, checked for one agent."""

from django.utils.translation import gettext as _

from parvis.accounts.models import Membership, User
from parvis.catalog.selectors import catalogue_names
from parvis.tickets.models import Ticket
from parvis.workflows.models import WorkflowTransition


def deciding_service_id(transition: WorkflowTransition, ticket: Ticket) -> int:
    """The service whose members decide: the one the transition names, else the ticket's."""
    return transition.service_id or ticket.service_id


def may_perform(
    actor: User, transition: WorkflowTransition, ticket: Ticket, roles: dict[int, str] | None = None
) -> bool:
    """Whether ``actor`` may make ``transition`` on ``ticket``.

    ``roles``: the actor's role per service id, when the caller has read them already (one
    query for all the buttons of a page). Parvis itself (jobs, automatic rules) may.
    """
    if actor.is_system:
        return True
    if roles is None:
        roles = member_roles(actor)
    role = roles.get(deciding_service_id(transition, ticket))
    if role is None:
        return False
    return not transition.roles or role in transition.roles


def member_roles(actor: User) -> dict[int, str]:
    return dict(Membership.objects.filter(user=actor).values_list("service_id", "role"))


def who_may(transition: WorkflowTransition, ticket: Ticket) -> str:
    """In French, who may make it: « les responsables de service du service Urbanisme »."""
    services, _types = catalogue_names()
    service = services.get(deciding_service_id(transition, ticket), _("service inconnu"))
    if not transition.roles:
        return _("les membres du service %(service)s") % {"service": service}
    roles = ", ".join(str(Membership.Role(role).label) for role in transition.roles)
    return _("%(roles)s du service %(service)s") % {"roles": roles, "service": service}
