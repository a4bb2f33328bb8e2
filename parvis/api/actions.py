"""Writes of the API app: the tokens with which agents' applications authenticate."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from parvis.accounts.models import User


@transaction.atomic
def api_token_issue(*, user: User, rotate: bool = False) -> tuple[Token, bool]:
    """The agent's API token, created if missing; ``rotate`` replaces it (the old one dies).

    Returns the token and whether it is new.
    """
    if rotate:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    return token, created
