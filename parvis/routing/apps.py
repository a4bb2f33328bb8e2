"""Application configuration for parvis.routing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "parvis.routing"
    label = "routing"
    verbose_name = _("Routage")

    def ready(self) -> None:
        from parvis.catalog.signals import connect
        from parvis.routing.models import KeywordRule

        connect(KeywordRule)
