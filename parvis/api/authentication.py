"""``Authorization: Token <key>``: the key's SHA-256 looked up, with its agent, in one query.

Only the hash of each key is stored (``accounts.ApiToken``): a copy of the database does
not give access to the API.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from parvis.accounts.actions import api_token_hash
from parvis.accounts.models import User


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header and French messages; keys checked against their stored hash."""

    def authenticate_credentials(self, key: str) -> tuple[User, None]:
        # The user through the token's join, unordered: the key is unique. Half the CPU of
        # the token with its user selected and deferred fields, ordered for first().
        user = next(iter(User.objects.filter(api_token__key_hash=api_token_hash(key))[:1]), None)
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return user, None
