"""The ``Idempotency-Key`` request header of the API's creations (tickets, replies, notes).

As in draft-ietf-httpapi-idempotency-key-header: a retry with the same key and body gets
the first response and creates nothing; the same key with another body is a 422; a retry
while the first request still runs waits for it, or after a while gets a 409. Without the
header, a request is handled as it always was.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from parvis.api.errors import ErrorSerializer
from parvis.api.views.base import request_agent
from parvis.intake.idempotency import (
    KeyInProgressError,
    KeyReusedError,
    StoredResponse,
    agent_scope,
    canonical_json,
    request_fingerprint,
    respond_once,
)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Facultatif. Une valeur unique par opération, choisie par l'application (un UUID), "
        'par exemple `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`. Une requête '
        "répétée avec la même clé et le même corps ne crée rien de plus et reçoit la première "
        "réponse (même code, même corps). La clé est gardée %(hours)s heures (réglage "
        "`PARVIS_IDEMPOTENCY_KEY_HOURS`), propre à chaque agent ; 1 à 255 caractères ASCII "
        "imprimables."
    )
    % {"hours": settings.PARVIS_IDEMPOTENCY_KEY_HOURS},
)
IDEMPOTENCY_RESPONSES = {
    409: OpenApiResponse(
        ErrorSerializer,
        description=_("La première requête portant cette clé est encore en cours : réessayez."),
    ),
    422: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "Cette clé a déjà servi pour une autre requête (autre corps ou autre adresse)."
        ),
    ),
}


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "Cette clé Idempotency-Key a déjà servi pour une autre requête (autre corps ou autre "
        "adresse) : choisissez une nouvelle clé pour une nouvelle opération."
    )
    default_code = "idempotency_key_reused"


class KeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "La première requête portant cette clé Idempotency-Key est encore en cours : "
        "réessayez dans quelques secondes."
    )
    default_code = "idempotency_key_in_progress"


def is_keyed(request: Request) -> bool:
    """Whether the request carries an Idempotency-Key (valid or not)."""
    return HEADER in request.headers


def idempotent(request: Request, respond: Callable[[], Response]) -> Response:
    """``respond()``, once per Idempotency-Key of the agent; the first response to a retry."""
    header = request.headers.get(HEADER)
    if header is None:
        return respond()

    def stored() -> StoredResponse:
        response = respond()
        return StoredResponse(status=response.status_code, body=response.data)

    method = request.method or "POST"
    try:
        first = respond_once(
            scope=agent_scope(request_agent(request)),
            key=_parse_key(header),
            fingerprint=request_fingerprint(method, request.path, canonical_json(request.data)),
            respond=stored,
        )
    except KeyReusedError:
        raise KeyReused from None
    except KeyInProgressError:
        raise KeyInProgress from None
    return Response(first.body, status=first.status)


def _parse_key(header: str) -> str:
    """The key: a Structured Field string (``"…"``, as in the draft) or, leniently, bare."""
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in key):
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _(
                        "En-tête Idempotency-Key non valide : 1 à %(max)d caractères ASCII "
                        'imprimables, par exemple "8e03978e-40d5-43e8-bc93-6894a57f9324".'
                    )
                    % {"max": MAX_KEY_LENGTH}
                ]
            }
        )
    return key
