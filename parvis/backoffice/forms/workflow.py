"""The form of one workflow transition on a ticket page: the fields it asks for, if any."""

from typing import Any

from django import forms

from parvis.workflows.models import WorkflowTransition
from parvis.workflows.values import MAX_LENGTH, transition_fields
from parvis.workflows.vocabulary import FieldKind


class TransitionForm(forms.Form):
    """One per button; its ids are prefixed by the transition's id (several on a page).

    The checks of the values are the engine's (``workflows.values.clean_values``): this form
    only lays the fields out and keeps what was typed when the engine refuses.
    """

    def __init__(self, *args: Any, transition: WorkflowTransition, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"step-{transition.pk}-%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        for item in transition_fields(transition.fields):
            kind = FieldKind(item.kind) if item.kind in FieldKind.values else FieldKind.TEXT
            widget: forms.Widget
            if kind == FieldKind.TEXTAREA:
                widget = forms.Textarea(attrs={"rows": 3})
            elif kind == FieldKind.DATE:
                widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            else:
                widget = forms.TextInput()
            self.fields[item.key] = forms.CharField(
                label=item.label,
                required=False,  # the engine says which are required, in its own words
                max_length=MAX_LENGTH[kind],
                widget=widget,
                help_text=_help(item.required, item.public),
            )
            if item.required:
                self.fields[item.key].widget.attrs["aria-required"] = "true"


def _help(required: bool, public: bool) -> str:
    from django.utils.translation import gettext as _

    parts = [_("Obligatoire.") if required else _("Facultatif.")]
    parts.append(_("Visible par l'usager.") if public else _("Visible des agents seulement."))
    return " ".join(parts)
