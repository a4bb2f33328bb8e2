"""Calendars in the admin: the commune's settings, opening hours and closures ("ponts").

Deadlines and escalations are shown read-only: they are the subscriber's and the job's.
"""

from django.contrib import admin
from django.http import HttpRequest

from parvis.sla.models import CalendarSettings, Closure, Escalation, OpeningPeriod


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin[CalendarSettings]):
    list_display = ["__str__", "alsace_moselle", "warning_lead_hours"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not CalendarSettings.objects.exists()  # one row: the commune's

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(admin.ModelAdmin[OpeningPeriod]):
    list_display = ["__str__", "service", "weekday", "opens", "closes"]
    list_filter = ["service", "weekday"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["day", "service", "reason"]
    list_filter = ["service"]
    date_hierarchy = "day"


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin[Escalation]):
    list_display = ["ticket", "target", "level", "due_at", "created_at"]
    list_filter = ["level", "target"]
    readonly_fields = ["ticket", "target", "level", "due_at", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
