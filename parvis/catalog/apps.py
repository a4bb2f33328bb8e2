"""Application configuration for parvis.catalog."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "parvis.catalog"
    label = "catalog"
    verbose_name = _("Catalogue des démarches")

    def ready(self) -> None:
        from parvis.catalog.signals import connect_catalogue

        connect_catalogue()
