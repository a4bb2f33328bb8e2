"""Admin for the commune's identity."""

from django.contrib import admin

from parvis.core.models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin[Commune]):
    list_display = ["name", "email", "phone"]
