"""The forms of the actions on a ticket page: reply, note, assign, status, transfer, priority.

A follow-up typed in by an agent uses the citizens' form, ``intake.forms.FollowUpForm``.
"""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.intake.forms import CheckedFilesField
from parvis.tickets.lifecycle import can_move
from parvis.tickets.models import Priority, Status, Ticket

MESSAGE_MAX_LENGTH = 20_000
LETTER_ADDRESS_MAX_LENGTH = 300


class ActionForm(forms.Form):
    """The ticket page holds several forms: each gets its own id prefix (ids stay unique)."""

    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ReplyForm(ActionForm):
    """The reply; its help says how it reaches the citizen: by email, or not at all."""

    id_prefix = "reply"
    body = forms.CharField(
        label=_("Réponse à l'usager"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Envoyée par courriel à l'usager et visible sur son suivi en ligne."),
        error_messages={"required": _("Écrivez la réponse avant de l'envoyer.")},
    )
    attachments = CheckedFilesField(label=_("Pièces jointes"))
    wait_for_citizen = forms.BooleanField(
        label=_("En attente de la réponse de l'usager"),
        required=False,
        help_text=_("La demande passe au statut « en attente de l'usager »."),
    )

    def __init__(self, *args: Any, by_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not by_email:
            self.fields["body"].help_text = _(
                "Aucun courriel ne part : l'usager n'a pas d'adresse électronique. La réponse "
                "est enregistrée sur la demande ; imprimez-la ensuite en courrier."
            )


class LetterForm(forms.Form):
    """The postal address a reply printed as a letter goes to (typed, never stored).

    Shown under each reply of the ticket page (``backoffice/_letter_form.html``).
    """

    address = forms.CharField(
        required=False,
        max_length=LETTER_ADDRESS_MAX_LENGTH,
        error_messages={
            "max_length": _("L'adresse postale tient en %(limit_value)d caractères au plus.")
        },
    )


class NoteForm(ActionForm):
    id_prefix = "note"
    body = forms.CharField(
        label=_("Note interne"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visible des seuls agents, jamais de l'usager."),
        error_messages={"required": _("Écrivez la note avant de l'enregistrer.")},
    )
    attachments = CheckedFilesField(label=_("Pièces jointes (internes)"))


class AssignForm(ActionForm):
    """Choose an agent of the ticket's service; the buttons say who (someone, me, nobody)."""

    id_prefix = "assign"
    assignee = forms.ModelChoiceField(
        label=_("Agent chargé"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Personne —"),
        error_messages={"invalid_choice": _("Choisissez un agent du service de la demande.")},
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            is_active=True, memberships__service=ticket.service_id
        ).order_by("last_name", "first_name", "username")
        field.initial = ticket.assignee_id


class StatusForm(ActionForm):
    id_prefix = "status"
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[(value, capfirst(label)) for value, label in Status.choices],
        error_messages={"invalid_choice": _("Choisissez un statut dans la liste.")},
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        # Only the moves the lifecycle allows from here (and the status it has now).
        field.choices = [
            (value, capfirst(label))
            for value, label in Status.choices
            if value == ticket.status or can_move(ticket.status, value)
        ]
        field.initial = ticket.status


class PriorityForm(ActionForm):
    id_prefix = "priority"
    priority = forms.TypedChoiceField(
        label=_("Priorité"),
        choices=[(value, capfirst(label)) for value, label in Priority.choices],
        coerce=int,
        error_messages={"invalid_choice": _("Choisissez une priorité dans la liste.")},
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].initial = ticket.priority


class TransferForm(ActionForm):
    id_prefix = "transfer"
    service = forms.ModelChoiceField(
        label=_("Transférer au service"),
        queryset=Service.objects.none(),
        empty_label=_("Choisissez un service…"),
        error_messages={
            "required": _("Choisissez le service qui doit traiter la demande."),
            "invalid_choice": _("Choisissez un autre service que celui de la demande."),
        },
    )
    reason = forms.CharField(
        label=_("Motif du transfert"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible dans l'historique, pour le service qui reçoit la demande."),
        error_messages={"required": _("Indiquez le motif du transfert.")},
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Service.objects.exclude(pk=ticket.service_id).order_by("position", "name")


class MergeForm(ActionForm):
    """The reference of the ticket to merge this one into; ``confirm`` once the agent read
    what the merge will do."""

    id_prefix = "merge"
    target = forms.CharField(
        label=_("Numéro de la demande qui se poursuit"),
        max_length=20,
        help_text=_("Par exemple 2026-00042. Cette demande-ci y sera fusionnée puis clôturée."),
        error_messages={"required": _("Indiquez le numéro de la demande où fusionner celle-ci.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_target(self) -> str:
        return str(self.cleaned_data["target"]).strip()
