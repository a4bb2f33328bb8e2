"""Forms of the citizens' portal: filing a request, writing on it, finding it again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.catalog.forms import phone_validator
from parvis.catalog.models import RequestType
from parvis.intake.forms import CheckedFilesField
from parvis.intake.web import DemarcheAnswers, OneTimeTokenForm
from parvis.notifications.sms import sms_available
from parvis.tickets.models import Channel, NotifyBy
from parvis.tickets.structures import IncomingRequest, RequesterData


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
            notify_by=data["notify_by"],
        )


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
