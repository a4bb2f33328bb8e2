"""The citizen's rating form (a domain form: the portal shows it, the action checks it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.satisfaction.actions import COMMENT_MAX_LENGTH

RATING_CHOICES = [
    (1, _("1 — Pas du tout satisfait")),
    (2, _("2 — Peu satisfait")),
    (3, _("3 — Moyennement satisfait")),
    (4, _("4 — Satisfait")),
    (5, _("5 — Très satisfait")),
]


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Êtes-vous satisfait de la façon dont votre demande a été traitée ?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une note de 1 à 5.")},
    )
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("N'y indiquez pas de données personnelles : il est lu par le service."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
