"""What the API accepts: shapes and types.

The démarche's own fields are checked by the ticket action, the one validator of field values.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parvis.catalog.forms import phone_validator
from parvis.catalog.models import RequestType, Service
from parvis.catalog.selectors import request_type_with_fields
from parvis.tickets.models import Priority, Status

# Priorities go by name (low, normal, high, urgent): clearer than 1–4 in a client's code.
PRIORITY_CHOICES = [(p.name.lower(), p.label) for p in Priority]
MAX_FIELDS = 100


class RequesterInputSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True, default="")
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        max_length=30,
        validators=[phone_validator],
    )
    is_association = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = _nulls_as_blank(attrs, "email", "phone")
        if not attrs["email"].strip() and not attrs["phone"].strip():
            raise serializers.ValidationError(
                _("Indiquez un courriel ou un téléphone, pour que la mairie puisse répondre.")
            )
        return attrs


def _nulls_as_blank(attrs: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Clients often send null for "nothing": treat it as an empty text."""
    return attrs | {key: attrs[key] or "" for key in keys}


class LocationInputSerializer(serializers.Serializer[dict[str, Any]]):
    address = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=300
    )
    lat = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-90, max_value=90
    )
    lon = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-180, max_value=180
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = _nulls_as_blank(attrs, "address")
        if (attrs["lat"] is None) != (attrs["lon"] is None):
            raise serializers.ValidationError(_("Donnez la latitude et la longitude ensemble."))
        return attrs


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "nullable": True}
)
class FieldValueField(serializers.Field):  # type: ignore[type-arg]
    """One structured value: text, number, boolean or null — never a list or an object."""

    default_error_messages = {
        "invalid": _("Valeur non valide : un texte, un nombre, un booléen ou null est attendu."),
    }

    def to_internal_value(self, data: object) -> object:
        if data is not None and not isinstance(data, str | int | float | bool):
            self.fail("invalid")
        return data

    def to_representation(self, value: object) -> object:
        return value


class TicketCreateSerializer(serializers.Serializer[dict[str, Any]]):
    request_type = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        max_length=50,
        help_text=_(
            "Identifiant de la démarche (ex. : nid-de-poule). Sans démarche, la demande "
            "est orientée par mots-clés, sinon vers l'accueil."
        ),
    )
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        max_length=200,
        help_text=_("Obligatoire sans démarche ; sinon, le nom de la démarche par défaut."),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=20000
    )
    requester = RequesterInputSerializer()
    # DRF's metaclass moves declared fields off the class: `.fields` keeps working.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=FieldValueField(),
        required=False,
        allow_null=True,
        default=dict,
        help_text=_(
            'Valeurs des champs de la démarche, par clé (ex. : {"birth_date": "1990-05-12"}).'
        ),
    )
    location = LocationInputSerializer(required=False, allow_null=True, default=None)
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES, required=False, default="normal")

    def validate_request_type(self, slug: str | None) -> RequestType | None:
        if not slug:
            return None
        request_type = request_type_with_fields(slug, include_internal=True)
        if request_type is None:
            raise serializers.ValidationError(
                _("Démarche inconnue : « %(slug)s ».") % {"slug": slug}
            )
        return request_type

    def validate_fields(self, values: dict[str, object] | None) -> dict[str, object] | None:
        if values and len(values) > MAX_FIELDS:
            raise serializers.ValidationError(
                _("Trop de champs (%(maximum)d au maximum).") % {"maximum": MAX_FIELDS}
            )
        return values

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = _nulls_as_blank(attrs, "subject", "description")
        attrs["fields"] = attrs["fields"] or {}
        request_type: RequestType | None = attrs["request_type"]
        if request_type is None:
            if attrs["fields"]:
                raise serializers.ValidationError(
                    {
                        "fields": _(
                            "Des champs structurés ne vont qu'avec une démarche (request_type)."
                        )
                    }
                )
            if not attrs["subject"].strip():
                raise serializers.ValidationError(
                    {"subject": _("Indiquez l'objet de la demande (ou une démarche).")}
                )
        elif not attrs["subject"].strip():
            attrs["subject"] = request_type.name
        attrs["priority"] = Priority[attrs["priority"].upper()]
        return attrs


class TicketFilterSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text=_("Statut."))
    service = serializers.SlugField(required=False, help_text=_("Identifiant du service."))
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Demandes modifiées depuis cet instant (ISO 8601, ex. : 2026-03-14T09:00:00+01:00)."
        ),
        error_messages={
            "invalid": _(
                "Date non valide : utilisez le format ISO 8601, "
                "par exemple 2026-03-14T09:00:00+01:00."
            ),
        },
    )

    def to_internal_value(self, data: Mapping[str, Any]) -> dict[str, Any]:
        since = data.get("updated_since")
        if isinstance(since, str):
            # An unencoded "+01:00" in a query string arrives as " 01:00": put the plus back.
            data = {key: data.get(key) for key in data}
            data["updated_since"] = _UNENCODED_OFFSET.sub(r"\1+\2", since)
        values: dict[str, Any] = super().to_internal_value(data)
        return values

    def validate_service(self, slug: str) -> str:
        if not Service.objects.filter(slug=slug).exists():
            raise serializers.ValidationError(_("Service inconnu : « %(slug)s ».") % {"slug": slug})
        return slug


_UNENCODED_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class ReplyInputSerializer(serializers.Serializer[dict[str, Any]]):
    body = serializers.CharField(
        max_length=20000, help_text=_("Texte de la réponse, envoyé à l'usager.")
    )
    wait_for_citizen = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Vrai : la demande passe « en attente de l'usager » ; sinon « en cours »."),
    )


class NoteInputSerializer(serializers.Serializer[dict[str, Any]]):
    body = serializers.CharField(
        max_length=20000, help_text=_("Note interne, jamais montrée à l'usager.")
    )
