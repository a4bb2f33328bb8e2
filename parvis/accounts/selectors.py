"""Reads of agents and requesters that other apps need, and who owes a second factor."""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parvis.accounts.models import Membership, Requester, User
from parvis.core.models import Commune

SYSTEM_USERNAME = "parvis"


def system_actor() -> User:
    """Parvis itself, the actor of jobs and automatic rules ("Parvis (automatique)").

    Created by a migration; created again if someone deleted it.
    """
    user, _created = User.objects.get_or_create(
        is_system=True,
        defaults={"username": SYSTEM_USERNAME, "is_active": False, "password": "!"},
    )
    return user


def requester_matching(*, email: str, phone_normalized: str) -> Requester | None:
    """The known requester with this email, else the most recent one with this phone."""
    if email:
        return Requester.objects.filter(email=email).first()
    if phone_normalized:
        return (
            Requester.objects.filter(Q(phone_normalized=phone_normalized)).order_by("-pk").first()
        )
    return None


def demo_accounts_exist() -> bool:
    """The demo commune is loaded: its accounts, with their published password, exist."""
    return User.objects.filter(is_demo=True).exists()


def _confidential_membership() -> Q:
    """Memberships of a service that handles confidential requests: a service marked
    confidential (ADR 0015), or one with a confidential démarche (ADR 0002)."""
    return Q(service__is_confidential=True) | Q(service__request_types__is_confidential=True)


def must_use_two_factor(user: User) -> bool:
    """Administrators and members of confidential services must use a second factor.

    The demo commune's accounts are exempt: their password is published anyway, and a
    newcomer must be able to try Parvis without an authenticator app.
    """
    if user.is_demo:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(_confidential_membership(), user=user).exists()


def has_two_factor(user: User) -> bool:
    """The agent has an authenticator app set up (a confirmed TOTP device)."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def two_factor_verified(user: Any) -> bool:
    """This request's user has given their second factor (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def two_factor_pending(user: Any) -> bool:
    """Logged in by password, but a second factor is owed before any agent or admin page:
    the agent has one set up, or must have one. One query at most."""
    if not user.is_authenticated or two_factor_verified(user):
        return False
    if not user.is_demo and (user.is_staff or user.is_superuser):
        return True
    owed = Q(Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    if not user.is_demo:
        owed |= Q(
            Exists(Membership.objects.filter(_confidential_membership(), user=OuterRef("pk")))
        )
    return User.objects.filter(owed, pk=user.pk).exists()


def two_factor_wait_seconds(user: User) -> int:
    """Seconds before the agent's devices take another code after failures (0: now)."""
    waits = [0]
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            allowed, details = device.verify_is_allowed()
            if not allowed and details and "locked_until" in details:
                left = (details["locked_until"] - timezone.now()).total_seconds()
                waits.append(int(left) + 1)
    return max(waits)


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the agent has."""
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def totp_issuer(device: TOTPDevice) -> str:
    """The name the authenticator app shows for the account: Parvis and the commune's name."""
    return f"Parvis {Commune.current().name}".strip()
