"""How the API reports errors: JSON, in French, and never a 500 for a client's mistake.

DRF translates most of its own messages (``Ce champ est obligatoire.``); the few it leaves
in English, and the errors raised by domain code, are given French wording here.
"""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from parvis.intake.errors import place_errors


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with French wording for authentication and domain validation errors."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, exceptions.NotAuthenticated):
        # Keep the instance: DRF has set its WWW-Authenticate header on it.
        exc.detail = exceptions.ErrorDetail(
            _("Authentification requise : en-tête « Authorization: Token <votre jeton> »."),
            code=exc.default_code,
        )
    elif isinstance(exc, exceptions.AuthenticationFailed):
        exc.detail = exceptions.ErrorDetail(
            _("Jeton d'authentification non valide, ou compte désactivé."), code=exc.default_code
        )
    return drf_exception_handler(exc, context)


def api_validation_error(
    error: DjangoValidationError, *, field_groups: Mapping[str, Collection[str]]
) -> exceptions.ValidationError:
    """A domain error as a 400 body: each message under the object of the request body that
    holds the field it names (``{"fields": {"birth_date": […]}}``), else "non_field_errors"."""
    groups = list(field_groups)
    body: dict[str, Any] = {}
    for placed in place_errors(error, *field_groups.values()):
        if placed.place is None or placed.field is None:
            body.setdefault("non_field_errors", []).extend(placed.messages)
        else:
            body.setdefault(groups[placed.place], {})[placed.field] = placed.messages
    return exceptions.ValidationError(body)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Message d'erreur, en français.")
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=gettext_lazy(
            "Données non valides. Les messages, en français, sont rangés par champ, par exemple "
            '{"requester": {"email": ["Saisissez une adresse e-mail valide."]}} ou '
            '{"fields": {"birth_date": ["Saisissez une date valide."]}} ; '
            'un corps illisible donne {"detail": "…"}.'
        ),
    ),
    401: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Jeton absent ou non valide.")),
    403: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Le compte n'est membre d'aucun service.")
    ),
    404: OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Demande introuvable, ou hors de vos services.")
    ),
}
