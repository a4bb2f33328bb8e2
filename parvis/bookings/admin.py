"""Rooms and equipment in the admin, until the back office has its own page to edit them.

Bookings are listed read-only: they change through the actions (the ticket page), which
record their events and keep the slots exclusive.
"""

from django.contrib import admin
from django.http import HttpRequest

from parvis.bookings.models import Booking, Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ["name", "kind", "service", "request_type", "capacity", "quantity", "is_active"]
    list_filter = ["kind", "service", "is_active"]
    search_fields = ["name", "slug"]
    list_select_related = ["service", "request_type"]
    fields = [
        "name",
        "slug",
        "kind",
        "service",
        "request_type",
        "capacity",
        "quantity",
        "description",
        "is_active",
        "position",
    ]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ["resource", "starts_at", "ends_at", "state", "ticket"]
    list_filter = ["state", "resource"]
    list_select_related = ["resource", "ticket"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False
