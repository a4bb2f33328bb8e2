"""``/api/v1/tickets/``: list the tickets an agent may see, create a ticket."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from parvis.api.errors import ERROR_RESPONSES, api_validation_error
from parvis.api.idempotency import (
    IDEMPOTENCY_KEY_PARAMETER,
    IDEMPOTENCY_RESPONSES,
    idempotent,
    is_keyed,
)
from parvis.api.pagination import TicketPagination
from parvis.api.selectors import api_ticket_list
from parvis.api.serializers.inputs import TicketCreateSerializer, TicketFilterSerializer
from parvis.api.serializers.outputs import TicketSubmittedSerializer, TicketSummarySerializer
from parvis.api.views.base import AgentGenericAPIView, request_agent
from parvis.intake.pipeline import intake_submit
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Channel
from parvis.tickets.references import next_reference
from parvis.tickets.selectors import tickets_shown
from parvis.tickets.structures import IncomingRequest, Location, RequesterData


class TicketCollectionView(AgentGenericAPIView):
    serializer_class = TicketSummarySerializer
    pagination_class = TicketPagination

    @extend_schema(
        tags=["Demandes"],
        operation_id="tickets_list",
        summary=_("Lister les demandes visibles"),
        description=_(
            "Les demandes des services de l'agent, les plus récemment modifiées d'abord."
        ),
        parameters=[TicketFilterSerializer],
        responses={200: TicketSummarySerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        filters = TicketFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        tickets = api_ticket_list(
            request_agent(request),
            status=filters.validated_data.get("status", ""),
            service_slug=filters.validated_data.get("service", ""),
            updated_since=filters.validated_data.get("updated_since"),
        )
        page = tickets_shown(
            request_agent(request),
            self.paginate_queryset(tickets) or [],
            context=AccessContext.API_LIST,
        )
        data = TicketSummarySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=["Demandes"],
        operation_id="tickets_create",
        summary=_("Créer une demande"),
        description=_(
            "Crée une demande au nom d'un usager (canal « application »). Avec une démarche, les "
            "champs sont vérifiés comme sur le portail ; sans démarche, la demande est orientée "
            "par mots-clés, sinon vers l'accueil. L'usager reçoit un accusé de réception par "
            "courriel s'il en a donné un. Avec un en-tête Idempotency-Key, une requête répétée "
            "(délai dépassé, connexion coupée) ne crée pas une seconde demande. Si l'usager a "
            "déjà une demande en cours sur la même affaire (même usager, texte très proche), "
            "la requête y est ajoutée en relance au lieu d'en créer une : la réponse est alors "
            "un 200 qui renvoie cette demande, avec « outcome » : « appended »."
        ),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=TicketCreateSerializer,
        responses={
            201: TicketSubmittedSerializer,
            200: TicketSubmittedSerializer,
            **ERROR_RESPONSES,
            **IDEMPOTENCY_RESPONSES,
        },
    )
    def post(self, request: Request) -> Response:
        # A body that does not parse is refused the same way each time: no key, no number.
        form = TicketCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incoming = _incoming_request(form.validated_data)
        # The number before the key's transaction (intake.pipeline): a retry leaves a gap.
        reference = next_reference() if is_keyed(request) else None
        response = idempotent(request, lambda: self._create(request, incoming, reference))
        if response.status_code in (status.HTTP_200_OK, status.HTTP_201_CREATED):
            response["Location"] = response.data["url"]
        return response

    def _create(
        self, request: Request, incoming: IncomingRequest, reference: str | None
    ) -> Response:
        try:
            submitted = intake_submit(
                incoming=incoming, actor=request_agent(request), reference=reference
            )
        except DjangoValidationError as error:
            raise api_validation_error(error, field_groups=_field_groups(incoming)) from None
        context = {"request": request, "outcome": submitted.outcome}
        body = TicketSubmittedSerializer(submitted.ticket, context=context).data
        # Appended to the requester's open ticket: nothing was created.
        code = status.HTTP_200_OK if submitted.appended else status.HTTP_201_CREATED
        return Response(body, status=code)


def _field_groups(incoming: IncomingRequest) -> dict[str, set[str]]:
    """Where a client finds each field a domain error may name: the démarche's under "fields"."""
    demarche_keys = set(incoming.field_values)
    if incoming.request_type is not None:
        demarche_keys |= {f.key for f in incoming.request_type.fields.all()}
    return {"fields": demarche_keys}


def _incoming_request(data: dict[str, Any]) -> IncomingRequest:
    requester = data["requester"]
    location = data["location"]
    return IncomingRequest(
        channel=Channel.API,
        requester=RequesterData(
            name=requester["name"],
            email=requester["email"],
            phone=requester["phone"],
            is_association=requester["is_association"],
        ),
        subject=data["subject"],
        description=data["description"],
        request_type=data["request_type"],
        field_values=data["fields"],
        location=Location(**location) if location else None,
        priority=data["priority"],
    )
