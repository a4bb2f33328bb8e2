"""Logging in and out of the back office (Django's auth views, our templates)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.models import User
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


class AgentLoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = AgentAuthenticationForm
    redirect_authenticated_user = True


class AgentLogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link cannot log an agent out behind their back."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Vous êtes déconnecté(e)."))
        return response
