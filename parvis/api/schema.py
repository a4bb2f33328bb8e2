"""Schema extensions: describe token (and session) authentication in our words in the OpenAPI
document."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TokenSchemeExtension(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # over drf-spectacular's own, English, description
    match_subclasses = True  # parvis.api.authentication.ApiTokenAuthentication

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "Jeton d'un agent, précédé du mot « Token » : `Authorization: Token 9944b0…`. "
                "Un administrateur le crée avec `parvis create-api-token IDENTIFIANT`."
            ),
        }


class VerifiedSessionSchemeExtension(SessionScheme):  # type: ignore[no-untyped-call]
    """The session of the browsable documentation: Django's session cookie, as before."""

    target_class = "parvis.api.authentication.VerifiedSessionAuthentication"
