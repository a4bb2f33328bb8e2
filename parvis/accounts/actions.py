"""Writes on agents and requesters, their API keys, their second factor and lockouts."""

import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parvis.accounts.models import ApiToken, Membership, Requester, User
from parvis.accounts.selectors import requester_matching
from parvis.catalog.models import Service
from parvis.core.text import normalize, normalize_phone


def requester_find_or_create(
    *, name: str, email: str = "", phone: str = "", is_association: bool = False
) -> tuple[Requester, bool]:
    """The known requester with this email (else this phone), or a new one; and whether new.

    A citizen who writes again is the same requester, so agents see their history. What a
    person typed never overwrites a known requester's name: each ticket keeps the name and
    contact as submitted (``Ticket.requester_name``…). Two channels creating the same email
    at once make one requester: the database refuses the second (``unique_requester_email``)
    and the loser reads the winner's row.
    """
    email = email.strip().lower()
    phone_normalized = normalize_phone(phone)
    requester = requester_matching(email=email, phone_normalized=phone_normalized)
    if requester is None:
        new = Requester(
            kind=Requester.Kind.ASSOCIATION if is_association else Requester.Kind.PERSON,
            name=name.strip(),
            email=email,
            phone=phone.strip(),
            phone_normalized=phone_normalized,
            name_normalized=normalize(name),
        )
        if not email:  # no constraint it could break: one INSERT, no savepoint around it
            new.save(force_insert=True)
            return new, True
        # A savepoint (SAVEPOINT, INSERT, RELEASE): the INSERT may meet another channel's
        # row. INSERT … ON CONFLICT DO NOTHING then a read would be one statement fewer but
        # more CPU (the ORM's read costs more than the two savepoint statements), and Django
        # cannot say ON CONFLICT … DO UPDATE … RETURNING for a partial unique index.
        try:
            with transaction.atomic():
                new.save(force_insert=True)
                return new, True
        except IntegrityError:
            return Requester.objects.get(email=email), False
    changed = []
    if phone_normalized and not requester.phone:
        requester.phone, requester.phone_normalized = phone.strip(), phone_normalized
        changed += ["phone", "phone_normalized"]
    if email and not requester.email:
        requester.email = email
        changed.append("email")
    if changed:
        requester.save(update_fields=[*changed, "updated_at"])
    return requester, False


def requester_email_confirm(*, requester_id: int, email: str) -> bool:
    """Record that the owner of this address read our mail there; False if nothing changed.

    Called when someone who followed a link from one of our mails to this address acts on
    the page it opened (``parvis.portal.views.track``), or answered one (``mailin``). Only the
    requester's current address is confirmed: a proof for another one (the requester's
    address changed since) is ignored. One conditional UPDATE: no lock to take, nothing to
    read first.
    """
    address = email.strip().lower()
    if not address:
        return False
    now = timezone.now()
    changed = (
        Requester.objects.filter(pk=requester_id, email=address)
        .exclude(confirmed_email=address)
        .update(confirmed_email=address, email_confirmed_at=now, updated_at=now)
    )
    return changed > 0


def requester_email_failing(*, requester_id: int, email: str) -> bool:
    """Record that mail to this address came back undelivered; False if it is not theirs.

    Only the requester's current address is marked: a report about an address they no longer
    use says nothing about the one they use now. One conditional UPDATE, as above.
    """
    address = email.strip().lower()
    if not address:
        return False
    now = timezone.now()
    changed = Requester.objects.filter(pk=requester_id, email=address).update(
        failing_email=address, email_failed_at=now, updated_at=now
    )
    return changed > 0


def requester_email_works(*, requester_id: int, email: str) -> None:
    """A mail came from this address: whatever bounced before, it works now."""
    Requester.objects.filter(pk=requester_id, failing_email=email.strip().lower()).update(
        failing_email="", email_failed_at=None, updated_at=timezone.now()
    )


@transaction.atomic
def agent_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    services: list[Service],
    role: Membership.Role = Membership.Role.AGENT,
    is_staff: bool = False,
) -> User:
    """Create an agent and make them a member of the given services."""
    user = User.objects.create_user(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=password,
        is_staff=is_staff,
    )
    Membership.objects.bulk_create(Membership(user=user, service=s, role=role) for s in services)
    return user


def api_token_hash(key: str) -> str:
    """What is stored of an API key, and what a presented key is compared by."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, rotate: bool = False) -> str | None:
    """A new API key for the agent, returned once; ``None`` if they have one and not ``rotate``.

    ``rotate`` replaces the key: the old one stops working at once.
    """
    if ApiToken.objects.filter(user=user).exists():
        if not rotate:
            return None
        ApiToken.objects.filter(user=user).delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, key_hash=api_token_hash(key), prefix=key[:8])
    return key


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator-app key the agent is setting up: the same until confirmed, so that
    reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Application d'authentification"), confirmed=False
        )
    return device


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new key with a code from the app: it replaces any previous one, and new
    recovery codes are issued (returned, to be shown once). None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """New recovery codes, each usable once; the previous ones stop working. Only shown now."""
    device, _created = StaticDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"name": _("Codes de secours"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.PARVIS_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts this code (six digits: the app; else a recovery code, then
    used up), or None. Each device slows down repeated failures (django-otp's throttling,
    stored in the database)."""
    token = token.strip().replace(" ", "").lower()
    devices: list[Device] = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if token.isdigit()
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    for device in devices:
        if verified := verify_token(user, device.persistent_id, token):
            return verified
    return None


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Remove the agent's app and recovery codes (lost phone): they set up a new app at their
    next login if they must use one."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def login_unlock(*, username: str) -> int:
    """Lift the lockout of an account after failed logins (every address); the number of
    locked-out records removed."""
    return int(axes_reset(username=username))
