"""The catalogue in the admin: an administrator edits services and démarches without a developer.

A démarche's form is not edited here but in the back office's form builder (« Formulaires »),
which keeps a draft and publishes versions (docs/decisions/0027): one editor of the fields.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.catalog.models import RequestType, Service
from parvis.tickets.actions import service_mark_confidential


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
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "slug", "service", "description", "keywords"],
                "description": _(
                    "Les champs du formulaire de la démarche se modifient dans l'espace agents, "
                    "page « Formulaires » : chaque publication crée une nouvelle version."
                ),
            },
        ),
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
