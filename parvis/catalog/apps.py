"""Application configuration for parvis.catalog."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "parvis.catalog"
    label = "catalog"
    verbose_name = "Catalogue des démarches"
