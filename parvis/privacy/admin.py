"""The confidential access log, read-only in the admin."""

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parvis.privacy.models import AccessLog
from parvis.tickets.models import Ticket


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ["accessed_at", "user", "references", "context", "granted"]
    list_filter = ["granted", "context", "user"]
    list_select_related = ["user"]
    fields = readonly_fields = ("accessed_at", "user", "references", "context", "granted")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessLog]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("tickets", queryset=Ticket.objects.only("pk", "reference")))
        )

    # The references only: the log must not show the administrator what it protects.
    @admin.display(description=_("demandes"))
    def references(self, log: AccessLog) -> str:
        return ", ".join(sorted(ticket.reference for ticket in log.tickets.all()))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
