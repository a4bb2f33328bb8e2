"""The phone / counter form: who calls, about what, through which channel."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parvis.catalog.forms import phone_validator
from parvis.catalog.models import RequestType
from parvis.catalog.selectors import agent_request_types, request_type_with_fields
from parvis.intake.web import DemarcheAnswers, OneTimeTokenForm
from parvis.tickets.models import Channel, Priority
from parvis.tickets.structures import IncomingRequest, RequesterData

from .queue import positive_int

CHANNEL_CHOICES = [
    (Channel.PHONE.value, _("Téléphone ou accueil")),
    (Channel.POSTAL.value, _("Courrier")),
]


class NewTicketForm(OneTimeTokenForm):
    requester_name = forms.CharField(
        label=_("Nom de l'usager"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Indiquez le nom de l'usager.")},
    )
    requester_email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Pour lui envoyer l'accusé de réception et les réponses."),
        error_messages={"invalid": _("Saisissez une adresse valide, par exemple nom@exemple.fr.")},
    )
    requester_phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(
        label=_("Canal"),
        choices=CHANNEL_CHOICES,
        initial=Channel.PHONE.value,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choisissez « téléphone ou accueil » ou « courrier ».")
        },
    )
    request_type = forms.ChoiceField(
        label=_("Démarche"),
        required=False,
        help_text=_(
            "Sans démarche, la demande est orientée d'après les mots de l'objet "
            "et de la description."
        ),
        error_messages={"invalid_choice": _("Choisissez une démarche dans la liste.")},
    )
    subject = forms.CharField(
        label=_("Objet"),
        max_length=200,
        error_messages={"required": _("Indiquez l'objet de la demande, en quelques mots.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    priority = forms.TypedChoiceField(
        label=_("Priorité"),
        choices=[(value, capfirst(label)) for value, label in Priority.choices],
        coerce=int,
        initial=Priority.NORMAL,
        error_messages={"invalid_choice": _("Choisissez une priorité dans la liste.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_types = {rt.pk: rt for rt in agent_request_types()}
        groups: dict[str, list[tuple[str, str]]] = {}
        for rt in self.request_types.values():
            label = (
                rt.name
                if rt.visibility == RequestType.Visibility.PUBLIC
                else gettext("%(name)s (interne)") % {"name": rt.name}
            )
            groups.setdefault(rt.service.name, []).append((str(rt.pk), label))
        field = self.fields["request_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("— Aucune : orienter d'après le texte —")), *groups.items()]
        # With HTMX, choosing a démarche loads its fields under the select.
        field.widget.attrs.update(
            {
                "hx-get": reverse("backoffice:type_fields"),
                "hx-trigger": "change",
                "hx-target": "#type-fields",
            }
        )

    def chosen_request_type(self) -> RequestType | None:
        """The démarche selected (after validation, or from the raw data to show its fields)."""
        if hasattr(self, "cleaned_data") and "request_type" in self.cleaned_data:
            return self.request_type_from(self.cleaned_data["request_type"])
        return self.request_type_from(self.data.get("request_type") if self.is_bound else None)

    def request_type_from(self, value: object) -> RequestType | None:
        """The démarche with the fields of its published form (never the draft)."""
        pk = positive_int(str(value)) if value else None
        chosen = self.request_types.get(pk) if pk else None
        if chosen is None:
            return None
        return request_type_with_fields(chosen.slug, include_internal=True)

    def incoming_request(
        self, *, request_type: RequestType | None, answers: DemarcheAnswers
    ) -> IncomingRequest:
        """The request as the agent typed it in from the call or the letter."""
        data = self.cleaned_data
        return IncomingRequest(
            channel=Channel(data["channel"]),
            requester=RequesterData(
                name=data["requester_name"],
                email=data["requester_email"],
                phone=data["requester_phone"],
            ),
            subject=data["subject"],
            description=data["description"],
            request_type=request_type,
            field_values=answers.values,
            field_files=answers.files,
            priority=Priority(data["priority"]),
        )
