"""Application configuration for parvis.catalog."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "parvis.catalog"
    label = "catalog"
    verbose_name = _("Catalogue des démarches")

    def ready(self) -> None:
        from parvis.catalog.models import FormField, FormVersion, RequestType, Service
        from parvis.core import cache_versions

        cache_versions.track(cache_versions.CATALOGUE, Service, RequestType, FormField, FormVersion)
