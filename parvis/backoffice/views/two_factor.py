"""The second factor: given after the password, and the authenticator app set up.

An agent who has an app set up, or must have one (``accounts.selectors.must_use_two_factor``:
administrators, members of confidential services), gives a six-digit code from it, or one
of their recovery codes, before any agent or administration page. Setting up the app shows
its key as a QR code drawn here (inline SVG: no external service, nothing the strict CSP
refuses), then ten recovery codes, shown once.
"""

from base64 import b32encode
from collections.abc import Callable
from functools import update_wrapper
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from parvis.accounts.actions import (
    recovery_codes_issue,
    totp_enrolment_confirm,
    totp_enrolment_start,
    two_factor_verify,
)
from parvis.accounts.models import User
from parvis.accounts.selectors import (
    has_two_factor,
    must_use_two_factor,
    recovery_codes_left,
    two_factor_pending,
    two_factor_verified,
    two_factor_wait_seconds,
)
from parvis.backoffice.access import AgentRequest, _to_login, agent_required
from parvis.backoffice.forms.two_factor import CodeForm
from parvis.sla.digests import digest_subscribe, is_subscribed

WRONG_CODE = gettext_lazy(
    "Code incorrect. Saisissez le code à six chiffres affiché maintenant par votre "
    "application (il change toutes les 30 secondes), ou un code de secours."
)


def _password_login_required(
    view: Callable[[AgentRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Logged in by password (the second factor is what these pages are for)."""

    def wrapper(request: HttpRequest) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return _to_login(request)
        return view(request)  # type: ignore[arg-type]

    update_wrapper(wrapper, view)
    return wrapper


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@_password_login_required
def verify(request: AgentRequest) -> HttpResponseBase:
    """The code from the app, or a recovery code, then the page the agent was going to."""
    user, next_url = request.user, _next_url(request)
    if not two_factor_pending(user):
        return redirect(next_url)
    if not has_two_factor(user):
        return redirect(_with_next("backoffice:two_factor_enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := two_factor_wait_seconds(user):
            form.add_error("code", _wait_message(wait))
        elif device := two_factor_verify(user=user, token=form.cleaned_data["code"]):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                _warn_recovery_code_used(request, user)
            return redirect(next_url)
        else:
            form.add_error("code", WRONG_CODE)
    return render(request, "backoffice/two_factor/verify.html", {"form": form, "next": next_url})


@_password_login_required
def enrol(request: AgentRequest) -> HttpResponseBase:
    """Set up the authenticator app: scan, type a code to confirm, note the recovery codes."""
    user, next_url = request.user, _next_url(request)
    if has_two_factor(user) and not two_factor_verified(user):
        # Replacing the app takes the current one first: a stolen password is not enough.
        return redirect(_with_next("backoffice:two_factor_verify", next_url))
    device = totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None, recovery_codes=False)
    if request.method == "POST" and form.is_valid():
        if wait := two_factor_wait_seconds(user):
            form.add_error("code", _wait_message(wait))
        elif codes := totp_enrolment_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, TOTPDevice.objects.get(pk=device.pk))
            return _recovery_codes_page(request, codes, next_url, first=True)
        else:
            form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "next": next_url,
        "required": must_use_two_factor(user),
        "qr_code": _qr_svg(device.config_url),
        "key": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "backoffice/two_factor/enrol.html", context)


@agent_required
def account(request: AgentRequest) -> HttpResponse:
    """The agent's second factor: set up or not, required or not, recovery codes left."""
    user = request.user
    context = {
        "enrolled": has_two_factor(user),
        "required": must_use_two_factor(user),
        "codes_left": recovery_codes_left(user),
        "is_demo": user.is_demo,
        "digest": is_subscribed(user),
        "nav_active": "account",
    }
    return render(request, "backoffice/two_factor/account.html", context)


@require_POST
@agent_required
def daily_digest(request: AgentRequest) -> HttpResponseBase:
    """Subscribe to the daily digest of one's due and overdue tickets, or stop it."""
    on = digest_subscribe(user=request.user, subscribed=request.POST.get("digest") == "on")
    messages.success(
        request,
        _("Vous recevrez chaque matin le récapitulatif de vos échéances.")
        if on
        else _("Vous ne recevrez plus le récapitulatif quotidien."),
    )
    return redirect("backoffice:account")


@require_POST
@agent_required
def new_recovery_codes(request: AgentRequest) -> HttpResponseBase:
    """New recovery codes (the old ones stop working), shown once."""
    if not has_two_factor(request.user):
        return redirect("backoffice:account")
    codes = recovery_codes_issue(user=request.user)
    return _recovery_codes_page(request, codes, reverse("backoffice:account"), first=False)


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], next_url: str, *, first: bool
) -> HttpResponse:
    response = render(
        request,
        "backoffice/two_factor/recovery_codes.html",
        {"codes": codes, "next": next_url, "first": first},
    )
    response["Cache-Control"] = "no-store"  # shown once: not kept by the browser either
    return response


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Trop de codes incorrects : attendez %(seconds)s seconde avant d'essayer à nouveau.",
        "Trop de codes incorrects : attendez %(seconds)s secondes avant d'essayer à nouveau.",
        seconds,
    ) % {"seconds": seconds}


def _warn_recovery_code_used(request: HttpRequest, user: User) -> None:
    left = recovery_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "Vous vous êtes connecté(e) avec un code de secours : il ne servira plus. "
            "Il vous en reste %(count)s ; générez-en de nouveaux depuis « Mon compte ».",
            "Vous vous êtes connecté(e) avec un code de secours : il ne servira plus. "
            "Il vous en reste %(count)s ; générez-en de nouveaux depuis « Mon compte ».",
            left,
        )
        % {"count": left},
    )


def _qr_svg(data: str) -> SafeString:
    """The QR code of ``data`` as an inline SVG element (our own drawing: safe to inline)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S308


def _grouped(key: str) -> str:
    """The key in groups of four letters, easier to type into an app."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
