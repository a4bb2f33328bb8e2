"""Logging in and out of the back office (Django's auth views, our templates).

After the password comes the second factor when the agent has one or must have one
(``backoffice.views.two_factor``); too many failed passwords lock the account out from that
address (django-axes, ``locked_out``).
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parvis.accounts.models import User
from parvis.accounts.selectors import demo_accounts_exist, two_factor_pending
from parvis.backoffice.access import NOT_AN_AGENT_MESSAGE, may_use_backoffice


class AgentAuthenticationForm(AuthenticationForm):
    """Username and password; only agents (or superusers) get through."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "Identifiant ou mot de passe incorrect. Attention aux majuscules et minuscules."
        ),
        "inactive": gettext_lazy("Ce compte est désactivé. Adressez-vous à un administrateur."),
        "not_an_agent": NOT_AN_AGENT_MESSAGE,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("Mot de passe")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not isinstance(user, User) or not may_use_backoffice(user):
            raise ValidationError(self.error_messages["not_an_agent"], code="not_an_agent")


def two_factor_url(next_url: str) -> str:
    """The second-factor step, then ``next_url``."""
    return f"{reverse('backoffice:two_factor_verify')}?{urlencode({'next': next_url})}"


class AgentLoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = AgentAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # Logged in by password only (now, or earlier): the second factor before the page.
        url = super().get_success_url()
        return two_factor_url(url) if two_factor_pending(self.request.user) else url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"demo": demo_accounts_exist()}


class AgentLogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link cannot log an agent out behind their back."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Vous êtes déconnecté(e)."))
        return response


def lockout_message() -> str:
    cool_off = settings.AXES_COOLOFF_TIME
    if cool_off is None:
        return _(
            "Trop de tentatives de connexion échouées : la connexion à ce compte depuis votre "
            "adresse est suspendue jusqu'à ce qu'un administrateur la rétablisse."
        )
    minutes = int(cool_off.total_seconds() // 60)
    return ngettext(
        "Trop de tentatives de connexion échouées : la connexion à ce compte depuis votre "
        "adresse est suspendue pendant %(minutes)s minute. Un administrateur peut la "
        "rétablir plus tôt.",
        "Trop de tentatives de connexion échouées : la connexion à ce compte depuis votre "
        "adresse est suspendue pendant %(minutes)s minutes. Un administrateur peut la "
        "rétablir plus tôt.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """What django-axes answers a locked-out login (agents' or administration's): the login
    page again, the identifier kept, the reason in French; 429."""
    form = AgentAuthenticationForm(request, initial={"username": request.POST.get("username")})
    context = {
        "form": form,
        "lockout": lockout_message(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "demo": demo_accounts_exist(),
    }
    return render(
        request, "backoffice/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
