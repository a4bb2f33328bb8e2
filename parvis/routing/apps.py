"""Application configuration for parvis.routing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "parvis.routing"
    label = "routing"
    verbose_name = _("Routage")

    def ready(self) -> None:
        from parvis.core import cache_versions
        from parvis.routing.models import ClassifierVersion, KeywordRule

        # The rules are kept with the catalogue: they point at its services.
        cache_versions.track(cache_versions.CATALOGUE, KeywordRule)
        cache_versions.track(cache_versions.CLASSIFIER, ClassifierVersion)
