"""What the API returns: tickets in a list, a created ticket, a ticket with its timeline."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parvis.api.serializers.inputs import PRIORITY_CHOICES
from parvis.notifications.links import tracking_url
from parvis.tickets.events import Audience, actor_label, describe, is_visible, names_for
from parvis.tickets.models import Channel, Event, Message, Priority, Status, Ticket


# A serializer's docstring becomes its description in the (French) schema: comments instead.
# A service or a démarche, by its identifier and name.
class NamedRefSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field(serializers.ChoiceField(choices=PRIORITY_CHOICES))
class PriorityField(serializers.Field):  # type: ignore[type-arg]
    """Priority by name (low, normal, high, urgent)."""

    def to_representation(self, value: int) -> str:
        return Priority(value).name.lower()


@extend_schema_field(serializers.CharField(allow_null=True))
class PersonField(serializers.Field):  # type: ignore[type-arg]
    """An agent's display name, or null."""

    def to_representation(self, value: object) -> str | None:
        return str(value) if value is not None else None


class TicketSummarySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("Adresse de la demande dans l'API."))
    subject = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    priority = PriorityField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    service = NamedRefSerializer(read_only=True)
    request_type = NamedRefSerializer(read_only=True, allow_null=True)
    is_confidential = serializers.BooleanField(read_only=True)
    requester_name = serializers.CharField(read_only=True)
    assignee = PersonField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_url(self, ticket: Ticket) -> str:
        path = reverse("api:ticket-detail", args=[ticket.reference])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def to_representation(self, ticket: Ticket) -> dict[str, Any]:
        """The declared fields, written out: DRF's generic path copies ~20 field objects per
        ticket, a tenth of the API's time to create one (docs/benchmarks.md). A test checks
        that both give the same JSON."""
        request_type = ticket.request_type
        assignee = ticket.assignee
        return {
            "reference": ticket.reference,
            "url": self.get_url(ticket),
            "subject": ticket.subject,
            "status": ticket.status,
            "status_label": ticket.get_status_display(),
            "priority": Priority(ticket.priority).name.lower(),
            "channel": ticket.channel,
            "service": {"slug": ticket.service.slug, "name": ticket.service.name},
            "request_type": (
                {"slug": request_type.slug, "name": request_type.name} if request_type else None
            ),
            "is_confidential": ticket.is_confidential,
            "requester_name": ticket.requester_name,
            "assignee": str(assignee) if assignee is not None else None,
            "created_at": _DATETIME.to_representation(ticket.created_at),
            "updated_at": _DATETIME.to_representation(ticket.updated_at),
        }


_DATETIME = serializers.DateTimeField()  # unbound: formats in the current time zone, as bound


class TicketCreatedSerializer(TicketSummarySerializer):
    tracking_url = serializers.SerializerMethodField(
        help_text=_("Lien de suivi secret de l'usager (aussi envoyé par courriel s'il en a un).")
    )

    def get_tracking_url(self, ticket: Ticket) -> str:
        return tracking_url(ticket)

    def to_representation(self, ticket: Ticket) -> dict[str, Any]:
        return super().to_representation(ticket) | {"tracking_url": tracking_url(ticket)}


class TicketSubmittedSerializer(TicketCreatedSerializer):
    """The answer to a creation: the ticket the request went to, and how."""

    outcome = serializers.ChoiceField(
        choices=[
            ("created", _("nouvelle demande créée")),
            ("appended", _("ajoutée en relance à la demande en cours de l'usager")),
        ],
        read_only=True,
        help_text=_(
            "« created » : une demande a été créée (HTTP 201). « appended » : l'usager avait "
            "déjà une demande en cours sur la même affaire ; la requête y a été ajoutée en "
            "relance, fichiers compris, et c'est cette demande qui est renvoyée (HTTP 200)."
        ),
    )

    def to_representation(self, ticket: Ticket) -> dict[str, Any]:
        return super().to_representation(ticket) | {
            "outcome": str(self.context.get("outcome", "created"))
        }


# The requester as given on this ticket (a known requester matched by email keeps their own).
class RequesterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="requester_name", read_only=True)
    email = serializers.EmailField(source="requester_email", read_only=True)
    phone = serializers.CharField(source="requester_phone", read_only=True)
    kind = serializers.CharField(source="requester.kind", read_only=True)


class LocationSerializer(serializers.Serializer[Any]):
    address = serializers.CharField(source="location_address", read_only=True)
    lat = serializers.FloatField(source="location_lat", read_only=True, allow_null=True)
    lon = serializers.FloatField(source="location_lon", read_only=True, allow_null=True)


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class MessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Message.Kind.choices, read_only=True)
    is_public = serializers.BooleanField(read_only=True)
    author = PersonField(read_only=True, allow_null=True)
    body = serializers.CharField(read_only=True)
    is_follow_up = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True, source="attachments.all")


# An event: its facts (ids and codes, in `data`) and the sentence an agent reads.
class EventSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Event.Kind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.SerializerMethodField(help_text=_("L'événement en une phrase."))
    actor = serializers.SerializerMethodField(help_text=_("Qui : un agent, l'usager ou Parvis."))
    is_public = serializers.SerializerMethodField(help_text=_("Vrai si l'usager le voit aussi."))
    # DRF's metaclass moves declared fields off the class: `.data` keeps working.
    data = serializers.DictField(  # type: ignore[assignment]
        read_only=True, help_text=_("Les faits : identifiants et codes.")
    )
    message_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_text(self, event: Event) -> str:
        return describe(event, Audience.API, self.context["names"])

    def get_actor(self, event: Event) -> str:
        return actor_label(event)

    def get_is_public(self, event: Event) -> bool:
        return is_visible(event, Audience.CITIZEN)


# A ticket with everything an agent sees: public and internal messages, and events.
class TicketDetailSerializer(TicketCreatedSerializer):
    description = serializers.CharField(read_only=True)
    requester = RequesterSerializer(source="*", read_only=True)
    fields = serializers.DictField(source="field_values", read_only=True)  # type: ignore[assignment]
    location = LocationSerializer(source="*", read_only=True)
    follow_up_count = serializers.IntegerField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    messages = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def to_representation(self, ticket: Ticket) -> dict[str, Any]:
        # One ticket with its whole timeline: DRF's generic path, from the declared fields.
        representation: dict[str, Any] = serializers.Serializer.to_representation(self, ticket)
        return representation

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, ticket: Ticket) -> Any:
        messages = [e.message for e in self.context["timeline"] if e.message is not None]
        return MessageSerializer(messages, many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, ticket: Ticket) -> Any:
        timeline = self.context["timeline"]
        return EventSerializer(
            timeline, many=True, context={"names": names_for(timeline, Audience.API)}
        ).data
