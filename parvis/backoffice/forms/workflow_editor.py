"""The workflow editor's forms: a row per status, a card per transition, read into a spec.

Codes are optional for a new row (made from its label); a transition's fields are typed one
per line, in words (« Motif du refus ; texte long ; visible par l'usager »), and its actions
are one of each kind. ``editor_spec`` turns what was typed into a ``WorkflowSpec`` that
``workflows.specs.check`` then judges as a whole.
"""

from dataclasses import replace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.models import Membership
from parvis.catalog.models import Service
from parvis.tickets.models import Status
from parvis.workflows.specs import (
    ActionSpec,
    FieldSpec,
    StatusSpec,
    TransitionSpec,
    WorkflowSpec,
)
from parvis.workflows.vocabulary import (
    CODE_LENGTH,
    LABEL_LENGTH,
    ActionKind,
    DeadlineKind,
    FieldKind,
)


def _kind_words() -> dict[str, FieldKind]:
    """The words an administrator types for a field's kind, in the interface's language."""
    return {
        _("texte long"): FieldKind.TEXTAREA,
        _("texte"): FieldKind.TEXT,
        _("date"): FieldKind.DATE,
    }


def _optional_word() -> str:
    return _("facultatif")


def _public_word() -> str:
    return _("visible par l'usager")


def code_from(label: str) -> str:
    return slugify(label).replace("-", "_")[:CODE_LENGTH].strip("_")


class StatusRow(forms.Form):
    """One status of the workflow; ``order`` sorts them (the rows' order when equal)."""

    order = forms.IntegerField(
        label=gettext_lazy("Ordre"), min_value=0, max_value=999, required=False
    )
    label = forms.CharField(label=gettext_lazy("Libellé pour les agents"), max_length=LABEL_LENGTH)
    public_label = forms.CharField(
        label=gettext_lazy("Libellé pour l'usager"),
        max_length=LABEL_LENGTH,
        required=False,
        help_text=gettext_lazy("Vide : étape invisible pour l'usager."),
    )
    lifecycle_state = forms.ChoiceField(
        label=gettext_lazy("État de la demande"),
        # A blank first choice: an untouched extra row posts nothing, and is left out.
        choices=[("", gettext_lazy("— choisir —")), *Status.choices],
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=CODE_LENGTH,
        required=False,
        help_text=gettext_lazy("Vide : fait à partir du libellé."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and not data.get("code"):
            data["code"] = code_from(data["label"])
        return data


class TransitionCard(forms.Form):
    """One transition: its button, its way, who may, what it asks and what it does."""

    label = forms.CharField(label=gettext_lazy("Libellé du bouton"), max_length=LABEL_LENGTH)
    source = forms.ChoiceField(label=gettext_lazy("Depuis l'étape"))
    target = forms.ChoiceField(label=gettext_lazy("Vers l'étape"))
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Rôles autorisés"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Aucun coché : tout membre du service."),
    )
    service = forms.ChoiceField(label=gettext_lazy("Service qui décide"), required=False)
    fields_text = forms.CharField(
        label=gettext_lazy("Champs à remplir"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Un champ par ligne : libellé ; type (texte, texte long, date) ; puis, au besoin, "
            "« facultatif » et « visible par l'usager »."
        ),
    )
    notify = forms.BooleanField(
        label=gettext_lazy("Prévenir l'usager (par courriel, ou par SMS s'il l'a choisi)"),
        required=False,
    )
    message = forms.CharField(
        label=gettext_lazy("Message à l'usager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document = forms.CharField(
        label=gettext_lazy("Pièce à demander à l'usager"), required=False, max_length=2000
    )
    assign_role = forms.ChoiceField(
        label=gettext_lazy("Attribuer à"),
        required=False,
        choices=[("", gettext_lazy("ne pas changer l'attribution")), *Membership.Role.choices],
    )
    deadline_days = forms.IntegerField(
        label=gettext_lazy("Échéance (jours)"), required=False, min_value=1, max_value=3660
    )
    deadline_working = forms.BooleanField(label=gettext_lazy("En jours ouvrés"), required=False)
    deadline_kind = forms.ChoiceField(
        label=gettext_lazy("Type de délai"),
        choices=[("", gettext_lazy("délai de traitement")), *DeadlineKind.choices[1:]],
        required=False,
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=CODE_LENGTH,
        required=False,
        help_text=gettext_lazy("Vide : fait à partir du libellé."),
    )

    def __init__(self, *args: Any, status_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = status_choices
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [
            ("", _("le service de la demande")),
            *Service.objects.order_by("position", "name").values_list("slug", "name"),
        ]

    def clean_fields_text(self) -> tuple[FieldSpec, ...]:
        return parse_fields(self.cleaned_data.get("fields_text", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and not data.get("code"):
            data["code"] = code_from(data["label"])
        return data


def parse_fields(text: str) -> tuple[FieldSpec, ...]:
    """« Libellé ; type ; facultatif ; visible par l'usager », one per line."""
    fields: list[FieldSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part.strip() for part in line.split(";")]
        if not parts[0]:
            continue
        words = _kind_words()
        kind_word = parts[1].lower() if len(parts) > 1 and parts[1] else _("texte")
        if kind_word not in words:
            raise ValidationError(
                _("Ligne %(n)s : type « %(kind)s » inconnu (texte, texte long ou date).")
                % {"n": number, "kind": kind_word}
            )
        options = {part.lower() for part in parts[2:] if part}
        unknown = options - {_optional_word(), _public_word()}
        if unknown:
            raise ValidationError(
                _(
                    "Ligne %(n)s : « %(word)s » n'est pas une option "
                    "(facultatif, visible par l'usager)."
                )
                % {"n": number, "word": sorted(unknown)[0]}
            )
        fields.append(
            FieldSpec(
                key=code_from(parts[0]) or f"champ_{number}",
                label=parts[0],
                kind=words[kind_word],
                required=_optional_word() not in options,
                public=_public_word() in options,
            )
        )
    return tuple(fields)


def fields_line(item: FieldSpec) -> str:
    kinds = {kind: word for word, kind in _kind_words().items()}
    parts = [item.label, kinds.get(FieldKind(item.kind), _("texte"))]
    if not item.required:
        parts.append(_optional_word())
    if item.public:
        parts.append(_public_word())
    return " ; ".join(parts)


StatusFormSet = forms.formset_factory(StatusRow, extra=2, can_delete=True)
TransitionFormSet = forms.formset_factory(TransitionCard, extra=2, can_delete=True)


def status_initial(spec: WorkflowSpec | None) -> list[dict[str, Any]]:
    if spec is None:
        return [{"lifecycle_state": Status.NEW, "order": 1}]
    return [
        {
            "order": position,
            "code": s.code,
            "label": s.label,
            "public_label": s.public_label,
            "lifecycle_state": s.lifecycle_state,
        }
        for position, s in enumerate(spec.statuses, start=1)
    ]


def transition_initial(spec: WorkflowSpec | None) -> list[dict[str, Any]]:
    rows = []
    for t in spec.transitions if spec else ():
        row: dict[str, Any] = {
            "code": t.code,
            "label": t.label,
            "source": t.source,
            "target": t.target,
            "roles": list(t.roles),
            "service": t.service,
            "fields_text": "\n".join(fields_line(item) for item in t.fields),
            "deadline_working": True,
        }
        for action in t.actions:
            if action.kind == ActionKind.NOTIFY_CITIZEN:
                row["notify"] = True
                row["message"] = action.params.get("message", "")
            elif action.kind == ActionKind.REQUEST_DOCUMENT:
                row["document"] = action.params.get("document", "")
            elif action.kind == ActionKind.ASSIGN_ROLE:
                row["assign_role"] = action.params.get("role", "")
            elif action.kind == ActionKind.SET_DEADLINE:
                row["deadline_days"] = action.params.get("days")
                row["deadline_working"] = action.params.get("working", True)
                row["deadline_kind"] = action.params.get("deadline_kind", DeadlineKind.SLA)
        rows.append(row)
    return rows


def status_choices(
    statuses: forms.BaseFormSet[StatusRow] | None, spec: WorkflowSpec | None
) -> list[tuple[str, str]]:
    """The statuses a transition may name: those typed (when posted), else the version's."""
    if statuses is not None and statuses.is_bound:
        choices = []
        for form in statuses.forms:
            label = form.data.get(form.add_prefix("label"), "").strip()
            code = form.data.get(form.add_prefix("code"), "").strip() or code_from(label)
            if label and not form.data.get(form.add_prefix("DELETE")):
                choices.append((code, label))
    else:
        choices = [(s.code, s.label) for s in spec.statuses] if spec else []
    return [("", _("— choisir —")), *choices]


def editor_spec(
    statuses: forms.BaseFormSet[StatusRow],
    transitions: forms.BaseFormSet[TransitionCard],
    previous: WorkflowSpec | None,
) -> WorkflowSpec:
    """What the (valid) formsets say, as a spec; the blank and deleted rows left out.

    A field keeps the key it had in ``previous`` (same transition, same label): the key is
    what its values are stored under.
    """
    keys = {
        (t.code, item.label): item.key
        for t in (previous.transitions if previous else ())
        for item in t.fields
    }
    kept = [
        (
            index + 1 if form.cleaned_data.get("order") is None else form.cleaned_data["order"],
            index,
            form.cleaned_data,
        )
        for index, form in enumerate(statuses.forms)
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    status_specs = tuple(
        StatusSpec(
            code=data["code"],
            label=data["label"],
            lifecycle_state=data["lifecycle_state"],
            public_label=data.get("public_label", ""),
        )
        for _order, _index, data in sorted(kept, key=lambda row: (row[0], row[1]))
    )
    transition_specs = tuple(
        _transition_spec(form.cleaned_data, keys)
        for form in transitions.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    )
    return WorkflowSpec(status_specs, transition_specs)


def _transition_spec(data: dict[str, Any], keys: dict[tuple[str, str], str]) -> TransitionSpec:
    fields = tuple(
        replace(item, key=keys.get((data["code"], item.label), item.key))
        for item in data.get("fields_text") or ()
    )
    actions: list[ActionSpec] = []
    if data.get("notify"):
        actions.append(ActionSpec(ActionKind.NOTIFY_CITIZEN, {"message": data.get("message", "")}))
    if data.get("document"):
        actions.append(ActionSpec(ActionKind.REQUEST_DOCUMENT, {"document": data["document"]}))
    if data.get("assign_role"):
        actions.append(ActionSpec(ActionKind.ASSIGN_ROLE, {"role": data["assign_role"]}))
    if data.get("deadline_days"):
        actions.append(
            ActionSpec(
                ActionKind.SET_DEADLINE,
                {
                    "days": data["deadline_days"],
                    "working": bool(data.get("deadline_working")),
                    "deadline_kind": data.get("deadline_kind") or DeadlineKind.SLA,
                },
            )
        )
    return TransitionSpec(
        code=data["code"],
        source=data["source"],
        target=data["target"],
        label=data["label"],
        roles=tuple(data.get("roles") or ()),
        service=data.get("service", ""),
        fields=fields,
        actions=tuple(actions),
    )
