"""The citizens' emails in the admin (read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from parvis.notifications.models import Mail


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin[Mail]):
    list_display = ["created_at", "to", "subject", "sent_at"]
    search_fields = ["to", "subject"]
    exclude = ["ticket", "event"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
