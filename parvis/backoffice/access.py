"""Who may use the back office, and the decorator every back-office view wears.

An agent is an active user who belongs to at least one service; a superuser may come in
without a membership (they still never see confidential tickets of services they are not in).
An agent who has a second factor, or must have one, gives it before any page.
"""

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from parvis.accounts.models import User
from parvis.accounts.selectors import two_factor_pending
from parvis.tickets.selectors import member_service_ids

NOT_AN_AGENT_MESSAGE = gettext_lazy(
    "Votre compte n'est rattaché à aucun service municipal : l'espace agents vous est fermé. "
    "Demandez à un administrateur de vous ajouter à un service."
)


class AgentRequest(HttpRequest):
    """An HttpRequest whose user is a logged-in agent (what the decorator guarantees)."""

    user: User
    htmx: HtmxDetails


def may_use_backoffice(user: User) -> bool:
    """Active, and a member of a service or a superuser."""
    return user.is_active and (user.is_superuser or bool(member_service_ids(user)))


def agent_required[**P](
    view: Callable[Concatenate[AgentRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Log in first (redirect), refuse users who are not agents with a clear page, then ask
    for the second factor when it is owed."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return _to_login(request)
        assert isinstance(user, User)
        if not may_use_backoffice(user):
            return render(
                request,
                "backoffice/access_denied.html",
                {"reason": NOT_AN_AGENT_MESSAGE, "is_agent": False},
                status=403,
            )
        if two_factor_pending(user):
            return _to_login(request, reverse("backoffice:two_factor_verify"))
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    update_wrapper(wrapper, view)
    return wrapper


def _to_login(request: HttpRequest, login_url: str | None = None) -> HttpResponseBase:
    """The login page (or its second step); an HTMX request (session expired) makes the whole
    page go there."""
    login_url = login_url or resolve_url(settings.LOGIN_URL)
    if request.headers.get("HX-Request") == "true":
        next_url = request.headers.get("HX-Current-URL") or request.get_full_path()
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{login_url}?{urlencode({'next': next_url})}"
        return response
    return redirect_to_login(request.get_full_path(), login_url)


def staff_required[**P](
    view: Callable[Concatenate[AgentRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """An agent page reserved to staff (administrators)."""

    def wrapper(request: AgentRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not (request.user.is_staff or request.user.is_superuser):
            return render(
                request,
                "backoffice/access_denied.html",
                {"reason": _("Cette page est réservée aux administrateurs."), "is_agent": True},
                status=403,
            )
        return view(request, *args, **kwargs)

    update_wrapper(wrapper, view)
    return agent_required(wrapper)
