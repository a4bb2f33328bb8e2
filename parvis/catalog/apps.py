"""Application configuration for parvis.catalog."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "parvis.catalog"
    label = "catalog"
    verbose_name = "Catalogue des démarches"

    def ready(self) -> None:
        from parvis.catalog.signals import connect_catalogue

        connect_catalogue()
