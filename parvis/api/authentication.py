"""``Authorization: Token <key>``: the key's SHA-256 looked up, with its agent, in one query.

Only the hash of each key is stored (``accounts.ApiToken``): a copy of the database does
not give access to the API.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from parvis.accounts.actions import api_token_hash
from parvis.accounts.models import ApiToken, User


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header and French messages; keys checked against their stored hash."""

    def authenticate_credentials(self, key: str) -> tuple[User, None]:
        token = (
            ApiToken.objects.select_related("user")
            .only("user")
            .filter(key_hash=api_token_hash(key))
            .first()
        )
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return token.user, None
