"""Admin for the commune's identity."""

from django.contrib import admin
from django.core.cache import cache
from django.forms import ModelForm
from django.http import HttpRequest

from parvis.core.models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin[Commune]):
    list_display = ["name", "email", "phone"]

    def save_model(
        self, request: HttpRequest, obj: Commune, form: ModelForm[Commune], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        cache.delete(Commune.CACHE_KEY)
