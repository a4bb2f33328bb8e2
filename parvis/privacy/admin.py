"""The confidential access log, read-only in the admin."""

from django.contrib import admin
from django.http import HttpRequest

from parvis.privacy.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ["accessed_at", "user", "ticket", "context"]
    list_filter = ["user"]
    list_select_related = ["user", "ticket"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
