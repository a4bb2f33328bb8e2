"""``Authorization: Token <key>``: the key's SHA-256 looked up, with its agent.

Who a key is and the services they belong to are kept by each process under the version
``access`` (ADR 0031), which every write to an agent, a membership or a key bumps on commit:
a deactivated agent, a removed membership or a rotated key counts on every worker within a
second, as every versioned cache (ADR 0009). Nothing is kept for a key that is refused.

Only the hash of each key is stored (``accounts.ApiToken``): a copy of the database does
not give access to the API. Refused keys are counted per client address in the shared
cache: after ``PARVIS_API_KEY_FAILURE_LIMIT`` of them, that address gets 429 (with
Retry-After) until the window ends, so keys cannot be guessed by brute force. A session
(the browsable API, the back office's own calls) counts only once its second factor is
verified, as for every agent page.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from parvis.accounts.actions import api_token_hash
from parvis.accounts.models import Membership, User
from parvis.accounts.selectors import two_factor_pending
from parvis.core.cache_versions import ACCESS, memo
from parvis.core.ratelimit import client_ip, failure_record, failures_retry_after
from parvis.core.snapshots import Row
from parvis.tickets.selectors import member_service_ids_known

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
        key_hash = api_token_hash(key)
        holder = memo(ACCESS, key_hash, lambda: _holder(key_hash))
        user = holder.user.instance()  # an instance of this request's own
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        member_service_ids_known(user, holder.service_ids)
        return user, None


@dataclass(frozen=True, slots=True)
class _Holder:
    """A key's agent and the services they belong to, as a process keeps them."""

    user: Row[User]
    service_ids: tuple[int, ...]


def _holder(key_hash: str) -> _Holder:
    """Read from the database; an unknown key raises, so that nothing is kept for it."""
    # The user through the token's join, unordered: the key is unique. Half the CPU of
    # the token with its user selected and deferred fields, ordered for first().
    user = next(iter(User.objects.filter(api_token__key_hash=key_hash)[:1]), None)
    if user is None:
        raise AuthenticationFailed(_("Invalid token."))
    services = Membership.objects.filter(user_id=user.pk).values_list("service_id", flat=True)
    return _Holder(Row.of(user), tuple(services))


class VerifiedSessionAuthentication(SessionAuthentication):
    """The session of an agent whose second factor is verified (or not required)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and two_factor_pending(result[0]):
            return None
        return result
