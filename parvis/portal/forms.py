"""Forms of the citizens' portal: filing a request, writing on it, finding it again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.catalog.forms import phone_validator
from parvis.catalog.models import FormField, RequestType
from parvis.intake.forms import CheckedFilesField
from parvis.intake.web import DemarcheAnswers, OneTimeTokenForm
from parvis.notifications.sms import sms_available
from parvis.tickets.models import Channel, NotifyBy
from parvis.tickets.structures import IncomingRequest, Location, RequesterData


class CoordinateField(forms.FloatField):
    """A latitude or longitude in degrees, written with a point or a French comma."""

    def __init__(self, *, limit: float, required: bool = False, **kwargs: Any) -> None:
        error = _(
            "Indiquez un nombre de degrés entre -%(limit)s et %(limit)s, par exemple 47,3941."
        )
        super().__init__(
            required=required,
            min_value=-limit,
            max_value=limit,
            error_messages={
                "invalid": error % {"limit": int(limit)},
                "min_value": error % {"limit": int(limit)},
                "max_value": error % {"limit": int(limit)},
                "required": _("Indiquez la position (latitude et longitude)."),
            },
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
            ),
            **kwargs,
        )

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]  # FloatField's own
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        result: float | None = super().to_python(value)
        return result


class SubmissionForm(OneTimeTokenForm):
    """Who asks, and what: the part of a démarche's form common to every démarche."""

    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        help_text=_(
            "Pour recevoir l'accusé de réception et les réponses. Par exemple : nom@exemple.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        validators=[phone_validator],
        help_text=_("Indiquez au moins une adresse électronique ou un numéro de téléphone."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    is_association = forms.BooleanField(
        label=_("Je représente une association"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-field-key": "is_association"}),
    )
    # Shown only when the box is ticked (conditional-fields.js); without JavaScript, typing
    # a name says as much as ticking the box.
    association_name = forms.CharField(
        label=_("Nom de l'association"),
        required=False,
        max_length=100,
        help_text=_("Obligatoire si vous représentez une association."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "organization",
                "data-shown-when": "is_association",
                "data-shown-values": "true",
            }
        ),
    )
    subject = forms.CharField(
        label=_("Objet de la demande"),
        required=False,
        max_length=200,
        help_text=_("Un titre court. Laissé vide, le nom de la démarche est utilisé."),
    )
    description = forms.CharField(
        label=_("Décrivez votre demande"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = CheckedFilesField(label=_("Pièces jointes"))
    # The place as a point, for a démarche with a location field: set by "Utiliser ma
    # position" (portal.js), or typed; the open reports nearby are shown from it.
    location_lat = CoordinateField(label=_("Latitude"), limit=90)
    location_lon = CoordinateField(label=_("Longitude"), limit=180)
    notify_by = forms.ChoiceField(
        label=_("Comment souhaitez-vous être informé de l'avancement ?"),
        choices=NotifyBy.choices,
        initial=NotifyBy.EMAIL,
        # Not chosen (a form shown before the choice existed, a script): the email if
        # given, else SMS to the phone if they can be sent (``ticket_create``).
        required=False,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que les informations saisies soient utilisées par les services de la "
            "commune pour traiter ma demande."
        ),
        error_messages={"required": _("Cochez cette case pour envoyer votre demande.")},
    )

    def __init__(self, *args: Any, description_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].required = description_required
        if not sms_available():  # no provider configured: SMS are not offered
            notify_by = self.fields["notify_by"]
            assert isinstance(notify_by, forms.ChoiceField)
            notify_by.choices = [c for c in NotifyBy.choices if c[0] != NotifyBy.SMS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error(
                "email",
                _(
                    "Indiquez une adresse électronique ou un numéro de téléphone : "
                    "la mairie en a besoin pour vous répondre."
                ),
            )
        notify_by = cleaned.get("notify_by")
        if notify_by == NotifyBy.EMAIL and cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "notify_by",
                _("Pour être informé par courriel, indiquez votre adresse électronique."),
            )
        if notify_by == NotifyBy.SMS and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("notify_by", _("Pour être informé par SMS, indiquez votre téléphone."))
        if cleaned.get("is_association") and not cleaned.get("association_name", "").strip():
            self.add_error("association_name", _("Indiquez le nom de l'association."))
        lat, lon = cleaned.get("location_lat"), cleaned.get("location_lon")
        # A coordinate refused is already said; one missing of two is said here.
        typed = not self.has_error("location_lat") and not self.has_error("location_lon")
        if typed and (lat is None) != (lon is None):
            missing = "location_lon" if lon is None else "location_lat"
            self.add_error(missing, _("Indiquez la latitude et la longitude, ou aucune des deux."))
        return cleaned

    def incoming_request(
        self, *, request_type: RequestType | None, answers: DemarcheAnswers
    ) -> IncomingRequest:
        """The request as the citizen filed it on the portal (the démarche is always known)."""
        assert request_type is not None
        data = self.cleaned_data
        name = data["name"].strip()
        association = data["association_name"].strip()
        if association:
            name = _("%(association)s (représentée par %(name)s)") % {
                "association": association,
                "name": name,
            }
        return IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData(
                name=name,
                email=data["email"],
                phone=data["phone"],
                # Typing the association's name says as much as ticking the box.
                is_association=bool(data["is_association"] or association),
            ),
            subject=data["subject"].strip() or request_type.name,
            description=data["description"],
            request_type=request_type,
            field_values=answers.values,
            files=data["attachments"],
            field_files=answers.files,
            location=self._location(request_type),
            notify_by=data["notify_by"],
        )

    def _location(self, request_type: RequestType) -> Location | None:
        """The point given, for a démarche that asks for a place (the address is its field)."""
        lat, lon = self.cleaned_data.get("location_lat"), self.cleaned_data.get("location_lon")
        if lat is None or lon is None:
            return None
        if not any(f.kind == FormField.Kind.LOCATION for f in request_type.fields.all()):
            return None
        return Location(lat=lat, lon=lon)


class MessageForm(forms.Form):
    """A message (and files) the citizen adds to their request."""

    body = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = CheckedFilesField(label=_("Joindre des fichiers"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)


class TrackLookupForm(forms.Form):
    """Find one's request again with its reference and the email given when filing it."""

    reference = forms.CharField(
        label=_("Numéro de suivi"),
        max_length=20,
        help_text=_("Par exemple : 2026-00042"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique utilisée pour la demande"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NearbyFollowForm(forms.Form):
    """Follow an open report near one's place instead of filing it again."""

    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Les mises à jour de ce signalement vous seront envoyées à cette adresse."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que la commune utilise mon nom et mon adresse électronique pour me tenir "
            "informé(e) de ce signalement."
        ),
        error_messages={"required": _("Cochez cette case pour suivre ce signalement.")},
    )


class NearbyPlaceForm(forms.Form):
    """The point around which the open reports are listed (the request form's two fields)."""

    location_lat = CoordinateField(label=_("Latitude"), limit=90, required=True)
    location_lon = CoordinateField(label=_("Longitude"), limit=180, required=True)
