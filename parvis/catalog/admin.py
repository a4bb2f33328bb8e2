"""The catalogue in the admin: an administrator edits services and démarches without a developer."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.catalog.models import FormField, RequestType, Service
from parvis.tickets.actions import service_mark_confidential


class FormFieldFormSet(BaseInlineFormSet[FormField, RequestType, ModelForm[FormField]]):
    """A field shown only when another has a value names an earlier choice field, and its
    values among that field's choices (``catalog.data`` checks the default catalogue alike)."""

    def clean(self) -> None:
        super().clean()
        rows = sorted(
            (form.cleaned_data for form in self.forms if getattr(form, "cleaned_data", None)),
            key=lambda data: data.get("position") or 0,
        )
        choices: dict[str, set[str]] = {}  # the earlier choice fields' values, by key
        for data in rows:
            if data.get("DELETE"):
                continue
            controller = data.get("shown_when_field") or ""
            if controller:
                values = {v.strip() for v in (data.get("shown_when_values") or "").split(",")}
                if controller not in choices:
                    raise ValidationError(
                        _("« %(field)s » : son affichage dépend d'un champ « choix » placé avant.")
                        % {"field": data.get("key", "")}
                    )
                unknown = sorted(values - choices[controller] - {""})
                if unknown:
                    raise ValidationError(
                        _("« %(field)s » : %(values)s ne sont pas des choix de « %(controller)s ».")
                        % {
                            "field": data.get("key", ""),
                            "values": ", ".join(unknown),
                            "controller": controller,
                        }
                    )
            if data.get("kind") == FormField.Kind.CHOICE:
                field = FormField(choices=data.get("choices") or "")
                choices[data.get("key", "")] = {value for value, _label in field.choice_pairs()}


class FormFieldInline(admin.TabularInline[FormField, RequestType]):
    model = FormField
    formset = FormFieldFormSet
    extra = 1
    fields = [
        "position",
        "key",
        "label",
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


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "slug", "is_internal", "is_confidential", "position"]
    list_filter = ["is_confidential"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "description",
                    "is_internal",
                    "is_confidential",
                    "triage_threshold",
                    "position",
                ]
            },
        ),
        (
            _("Délais par défaut"),
            {
                "fields": [
                    ("first_response_target", "first_response_unit"),
                    ("resolution_target", "resolution_unit"),
                ],
                "description": _(
                    "Pour les demandes sans démarche, ou dont la démarche ne fixe pas de délai."
                ),
            },
        ),
    ]

    def save_model(
        self, request: HttpRequest, obj: Service, form: ModelForm[Service], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if obj.is_confidential and "is_confidential" in form.changed_data:
            count = service_mark_confidential(service=obj)
            if count:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d demande qui est ou a été dans ce service est devenue "
                        "confidentielle.",
                        "%(count)d demandes qui sont ou ont été dans ce service sont devenues "
                        "confidentielles.",
                        count,
                    )
                    % {"count": count},
                )


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin[RequestType]):
    list_display = ["name", "service", "visibility", "is_confidential", "is_active", "position"]
    list_filter = ["service", "visibility", "is_confidential", "is_active"]
    list_editable = ["is_active", "position"]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormFieldInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "service", "description", "keywords"]}),
        (_("Accès"), {"fields": ["visibility", "is_confidential", "is_active", "position"]}),
        (
            _("Signalements proches (espace public)"),
            {"fields": ["nearby_radius_m", "nearby_window_days"]},
        ),
        (
            _("Délais"),
            {
                "fields": [
                    ("first_response_target", "first_response_unit"),
                    ("resolution_target", "resolution_unit"),
                    "legal_deadline",
                ],
                "description": _(
                    "Comptés en temps ouvré du service (horaires, jours fériés, fermetures). "
                    "Vides : ceux du service. Une modification vaut pour les demandes reçues "
                    "ensuite et pour celles dont le délai est recalculé (changement de statut)."
                ),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RequestType]:
        return super().get_queryset(request).select_related("service")
