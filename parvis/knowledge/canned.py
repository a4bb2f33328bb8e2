"""Canned responses: replies a service writes often, filled in for each ticket.

A canned response belongs to one service; its agents write, change and use it (an agent of
another service neither sees nor changes it). Its text may hold placeholders, in braces,
replaced by the ticket's facts when an agent inserts it into a reply:

``{nom}`` the requester's name, ``{numero}`` the tracking number, ``{demarche}`` the
démarche, ``{service}`` the service in charge, ``{agent}`` the agent who replies.

A placeholder that is not one of these is refused when the response is saved, with the list
of those that exist: a typo never reaches a citizen.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.knowledge.models import CannedResponse
from parvis.knowledge.permissions import may_edit_service
from parvis.tickets.models import Ticket
from parvis.tickets.selectors import member_service_ids

PLACEHOLDERS = {
    "nom": gettext_lazy("le nom de l'usager"),
    "numero": gettext_lazy("le numéro de suivi de la demande"),
    "demarche": gettext_lazy("la démarche"),
    "service": gettext_lazy("le service chargé de la demande"),
    "agent": gettext_lazy("votre nom"),
}
_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")


def placeholder_errors(text: str) -> list[str]:
    """The placeholders of ``text`` that do not exist, each once, in order."""
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    return list(dict.fromkeys(unknown))


def check_placeholders(text: str) -> None:
    """Refuse a text with an unknown placeholder, in French, with the ones that exist."""
    unknown = placeholder_errors(text)
    if unknown:
        raise ValidationError(
            _("Champ inconnu : %(unknown)s. Champs possibles : %(known)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def fill_placeholders(text: str, *, ticket: Ticket, agent: User) -> str:
    """The text with each placeholder replaced by this ticket's fact (unknown ones kept)."""
    values = {
        "nom": ticket.requester_name,
        "numero": ticket.reference,
        "demarche": ticket.request_type.name if ticket.request_type else "",
        "service": ticket.service.name,
        "agent": agent.get_full_name() or agent.username,
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class CannedContent:
    """What an agent writes in a canned response's form."""

    service: Service
    title: str
    body: str


def _check_may_write(actor: User, service_id: int) -> None:
    if not may_edit_service(actor, service_id):
        raise PermissionDenied(
            _("Seuls les agents du service peuvent modifier ses réponses types.")
        )


@transaction.atomic
def canned_response_create(*, actor: User, content: CannedContent) -> CannedResponse:
    """A new canned response of ``content.service``, its placeholders checked."""
    _check_may_write(actor, content.service.pk)
    check_placeholders(content.body)
    return CannedResponse.objects.create(
        service=content.service,
        title=content.title.strip(),
        body=content.body.strip(),
        updated_by=actor,
    )


@transaction.atomic
def canned_response_update(
    *, response: CannedResponse, actor: User, content: CannedContent
) -> CannedResponse:
    """Change a canned response; moving it to another service needs to belong to both."""
    response = CannedResponse.objects.select_for_update().get(pk=response.pk)
    _check_may_write(actor, response.service_id)
    _check_may_write(actor, content.service.pk)
    check_placeholders(content.body)
    response.service = content.service
    response.title = content.title.strip()
    response.body = content.body.strip()
    response.updated_at = timezone.now()
    response.updated_by = actor
    response.save()
    return response


@transaction.atomic
def canned_response_delete(*, response: CannedResponse, actor: User) -> None:
    response = CannedResponse.objects.select_for_update().get(pk=response.pk)
    _check_may_write(actor, response.service_id)
    response.delete()


def canned_responses_for_agent(user: User) -> QuerySet[CannedResponse]:
    """The canned responses of the agent's services (every one for a superuser)."""
    responses = CannedResponse.objects.select_related("service").order_by(
        "service__position", "service__name", "title"
    )
    if user.is_superuser:
        return responses
    return responses.filter(service_id__in=member_service_ids(user))


def canned_response_for_editor(user: User, pk: int) -> CannedResponse:
    """A canned response an agent is about to change: 404 if unknown, 403 if not theirs."""
    response = CannedResponse.objects.select_related("service").filter(pk=pk).first()
    if response is None:
        raise Http404
    _check_may_write(user, response.service_id)
    return response
