"""The form builder's form: one field of a démarche's draft, added or changed.

The model checks it (``FormField.clean``, run by the form and again by
``catalog.actions.form_field_save``, which also checks the key); the form only offers the
earlier « choix » fields as the condition, with their values spelled out.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.catalog.models import FormField


class FormFieldForm(forms.ModelForm[FormField]):
    """A draft field; ``earlier`` are the draft's fields placed before it (all, for a new one)."""

    class Meta:
        model = FormField
        fields = [
            "label",
            "key",
            "kind",
            "required",
            "help_text",
            "choices",
            "integer",
            "min_value",
            "max_value",
            "shown_when_field",
            "shown_when_values",
        ]
        labels = {"key": gettext_lazy("Clé technique (facultatif)")}
        help_texts = {
            "key": gettext_lazy(
                "En minuscules, sans espace (ex. : date_naissance). Vide : tirée du libellé. "
                "Elle ne change plus ensuite."
            ),
            "choices": gettext_lazy(
                "Pour un champ « choix » : un choix par ligne, sous la forme valeur|libellé "
                "(ex. : oui|Oui), ou le libellé seul."
            ),
        }
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, earlier: list[FormField], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["key"]  # the tickets' values are kept under it
        else:
            self.fields["key"].required = False
        controllers = [field for field in earlier if field.kind == FormField.Kind.CHOICE]
        self.fields["shown_when_field"] = forms.ChoiceField(
            label=_("Affiché seulement si le champ"),
            required=False,
            choices=[
                ("", _("— toujours affiché —")),
                *((field.key, field.label) for field in controllers),
            ],
            help_text=_("Un champ « choix » placé avant celui-ci."),
        )
        values = "; ".join(
            _("%(field)s : %(values)s")
            % {
                "field": field.label,
                "values": ", ".join(value for value, _label in field.choice_pairs()),
            }
            for field in controllers
        )
        self.fields["shown_when_values"].label = _("vaut l'une de ces valeurs")
        self.fields["shown_when_values"].help_text = (
            _("Séparées par des virgules. Valeurs possibles — %(values)s.") % {"values": values}
            if values
            else _("Séparées par des virgules.")
        )

    def show_errors(self, error: ValidationError) -> None:
        """Put the action's errors on their fields (on the form for those it does not show)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)
