"""``/api/v1/tickets/<reference>/``: read a ticket, reply to the citizen, add an internal note."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from parvis.api.errors import ERROR_RESPONSES
from parvis.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from parvis.api.serializers.inputs import NoteInputSerializer, ReplyInputSerializer
from parvis.api.serializers.outputs import MessageSerializer, TicketDetailSerializer
from parvis.api.views.base import REFERENCE_PARAMETER, AgentAPIView, request_agent, visible_ticket
from parvis.tickets.actions import ticket_add_note, ticket_reply
from parvis.tickets.selectors import ticket_timeline


class TicketDetailView(AgentAPIView):
    @extend_schema(
        tags=["Demandes"],
        operation_id="tickets_retrieve",
        summary=_("Lire une demande"),
        description=_(
            "La demande avec ses messages (publics et notes internes) et son historique. "
            "La lecture d'une demande confidentielle est inscrite au journal des accès."
        ),
        parameters=[REFERENCE_PARAMETER],
        responses={200: TicketDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, reference: str) -> Response:
        ticket = visible_ticket(request, reference)
        context = {"request": request, "timeline": ticket_timeline(ticket, public_only=False)}
        return Response(TicketDetailSerializer(ticket, context=context).data)


class TicketReplyView(AgentAPIView):
    @extend_schema(
        tags=["Demandes"],
        operation_id="tickets_reply",
        summary=_("Répondre à l'usager"),
        description=_("Réponse publique, envoyée à l'usager par courriel s'il en a un."),
        parameters=[REFERENCE_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
        request=ReplyInputSerializer,
        responses={201: MessageSerializer, **ERROR_RESPONSES, **IDEMPOTENCY_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        return idempotent(request, lambda: self._reply(request, reference))

    def _reply(self, request: Request, reference: str) -> Response:
        ticket = visible_ticket(request, reference)
        form = ReplyInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        message = ticket_reply(
            ticket=ticket,
            actor=request_agent(request),
            body=form.validated_data["body"],
            wait_for_citizen=form.validated_data["wait_for_citizen"],
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class TicketNoteView(AgentAPIView):
    @extend_schema(
        tags=["Demandes"],
        operation_id="tickets_add_note",
        summary=_("Ajouter une note interne"),
        description=_("Note entre agents, jamais montrée à l'usager."),
        parameters=[REFERENCE_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
        request=NoteInputSerializer,
        responses={201: MessageSerializer, **ERROR_RESPONSES, **IDEMPOTENCY_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        return idempotent(request, lambda: self._add_note(request, reference))

    def _add_note(self, request: Request, reference: str) -> Response:
        ticket = visible_ticket(request, reference)
        form = NoteInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        message = ticket_add_note(
            ticket=ticket, actor=request_agent(request), body=form.validated_data["body"]
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
