"""Application configuration for parvis.routing."""

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "parvis.routing"
    label = "routing"
    verbose_name = "Routage"

    def ready(self) -> None:
        from parvis.catalog.signals import connect
        from parvis.routing.models import KeywordRule

        connect(KeywordRule)
