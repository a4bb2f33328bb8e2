"""Tickets in the admin are read-only: agents work in the back office, through the actions."""

from django.contrib import admin
from django.http import HttpRequest

from parvis.tickets.models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["reference", "subject", "service", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "service"]
    search_fields = ["reference", "subject"]
    list_select_related = ["service"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        # Confidential tickets stay out of the admin: only their service reads them, logged.
        return super().get_queryset(request).filter(is_confidential=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
