"""The one field of the second-factor pages: a code from the app, or a recovery code."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Les six chiffres affichés par votre application, ou un code de secours."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("Saisissez le code.")},
    )

    def __init__(self, *args: Any, recovery_codes: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not recovery_codes:  # setting up the app: only its code confirms it
            self.fields["code"].help_text = _("Les six chiffres affichés par votre application.")
