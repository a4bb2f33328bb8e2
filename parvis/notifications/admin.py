"""The local outbox in the admin (read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from parvis.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ["sent_at", "to", "subject"]
    search_fields = ["to", "subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
