"""Admin for routing rules."""

from django.contrib import admin

from parvis.routing.models import KeywordRule


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin[KeywordRule]):
    list_display = ["keywords", "service", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["service", "is_active"]
