"""The form of the quarantine page that names the ticket a received message belongs to."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachForm(forms.Form):
    """The reference typed by the administrator; the action checks it (known, open, visible)."""

    reference = forms.CharField(
        label=_("Numéro de suivi de la demande"),
        max_length=30,
        help_text=_(
            "Par exemple 2026-00042. Le texte et les pièces jointes acceptées y sont "
            "ajoutés comme un message de l'usager."
        ),
        error_messages={"required": _("Indiquez le numéro de suivi de la demande.")},
    )
