"""Token authentication that reads the agent's services with the token: one query per call."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from parvis.accounts.models import User
from parvis.tickets.selectors import member_service_ids_subquery, remember_member_service_ids


class AgentTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, with the user's services read in the same query.

    Every API view checks that the caller is an agent and filters by their services; DRF's
    own class read the token, then the permission read the services: two queries per call.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        token = (
            Token.objects.select_related("user")
            .annotate(service_ids=member_service_ids_subquery("user_id"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        remember_member_service_ids(user, token.service_ids)
        return user, token
