"""The knowledge base's categories in the admin; articles are written in the back office
(« Base de connaissances »), where their service's agents edit, preview and publish them."""

from django.contrib import admin

from parvis.knowledge.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
