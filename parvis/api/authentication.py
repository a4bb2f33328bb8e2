"""``Authorization: Token <key>``: the key's SHA-256 looked up, with its agent, in one query.

Only the hash of each key is stored (``accounts.ApiToken``): a copy of the database does
not give access to the API. Refused keys are counted per client address in the shared
cache: after ``PARVIS_API_KEY_FAILURE_LIMIT`` of them, that address gets 429 (with
Retry-After) until the window ends, so keys cannot be guessed by brute force. A session
(the browsable API, the back office's own calls) counts only once its second factor is
verified, as for every agent page.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from parvis.accounts.actions import api_token_hash
from parvis.accounts.models import User
from parvis.accounts.selectors import two_factor_pending
from parvis.core.ratelimit import client_ip, failure_record, failures_retry_after

FAILURE_SCOPE = "api-key"


class KeyGuessingThrottled(Throttled):
    default_detail = gettext_lazy("Trop de jetons refusés depuis votre adresse.")
    extra_detail_singular = gettext_lazy("Réessayez dans {wait} seconde.")  # type: ignore[assignment]
    extra_detail_plural = gettext_lazy("Réessayez dans {wait} secondes.")  # type: ignore[assignment]


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header and French messages; keys checked against their stored hash."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        if not request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("token"):
            return None  # not a key: the session, or a 401
        client = client_ip(request)
        limits = {
            "limit": settings.PARVIS_API_KEY_FAILURE_LIMIT,
            "window": settings.PARVIS_API_KEY_FAILURE_WINDOW,
        }
        if wait := failures_retry_after(FAILURE_SCOPE, client, **limits):
            raise KeyGuessingThrottled(wait=wait)
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            failure_record(FAILURE_SCOPE, client, window=limits["window"])
            raise

    def authenticate_credentials(self, key: str) -> tuple[User, None]:
        # The user through the token's join, unordered: the key is unique. Half the CPU of
        # the token with its user selected and deferred fields, ordered for first().
        user = next(iter(User.objects.filter(api_token__key_hash=api_token_hash(key))[:1]), None)
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return user, None


class VerifiedSessionAuthentication(SessionAuthentication):
    """The session of an agent whose second factor is verified (or not required)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and two_factor_pending(result[0]):
            return None
        return result
