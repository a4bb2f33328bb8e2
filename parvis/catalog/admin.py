"""The catalogue in the admin: an administrator edits services and démarches without a developer."""

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.catalog.models import FormField, RequestType, Service
from parvis.tickets.actions import service_mark_confidential


class FormFieldInline(admin.TabularInline[FormField, RequestType]):
    model = FormField
    extra = 1
    fields = ["position", "key", "label", "kind", "required", "help_text", "choices"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "slug", "is_internal", "is_confidential", "position"]
    list_filter = ["is_confidential"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

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
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RequestType]:
        return super().get_queryset(request).select_related("service")

    def save_model(
        self, request: HttpRequest, obj: RequestType, form: ModelForm[RequestType], change: bool
    ) -> None:
        obj.search_text = obj.build_search_text()
        super().save_model(request, obj, form, change)
