"""Who may write an article: the agents of its owning service, and administrators."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.tickets.selectors import member_service_ids


def may_edit_service(user: User, service_id: int) -> bool:
    """A member of the service (or a superuser) writes its articles; the system actor too."""
    if not user.is_active and not user.is_system:
        return False
    return user.is_superuser or user.is_system or service_id in member_service_ids(user)


def check_may_edit(user: User, service_id: int) -> None:
    if not may_edit_service(user, service_id):
        raise PermissionDenied(
            _("Seuls les agents du service propriétaire peuvent modifier cette fiche.")
        )
