"""Reads of agents and requesters that other apps need."""

from django.db.models import Q

from parvis.accounts.models import Requester, User

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
