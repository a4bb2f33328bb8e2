"""What every API view shares: agents only, JSON in and out."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from parvis.accounts.models import User
from parvis.api.parsers import FrenchJSONParser
from parvis.api.permissions import IsAgent
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import ticket_for_agent

REFERENCE_PARAMETER = OpenApiParameter(
    "reference",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("Numéro de suivi, ex. : 2026-00042."),
)


class AgentAPIView(APIView):
    permission_classes = [IsAgent]
    parser_classes = [FrenchJSONParser]
    renderer_classes = [JSONRenderer]


class AgentGenericAPIView(GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [IsAgent]
    parser_classes = [FrenchJSONParser]
    renderer_classes = [JSONRenderer]


def request_agent(request: Request) -> User:
    """The agent behind the request (the permission has already checked who it is)."""
    user = request.user
    assert isinstance(user, User)
    return user


def visible_ticket(request: Request, reference: str) -> Ticket:
    """The ticket if the agent may see it, else a French 404. Confidential reads are logged."""
    try:
        return ticket_for_agent(request_agent(request), reference, context=AccessContext.API)
    except Http404:
        raise NotFound(
            _("Aucune demande de vos services ne porte le numéro « %(reference)s ».")
            % {"reference": reference}
        ) from None
