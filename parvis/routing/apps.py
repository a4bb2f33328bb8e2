"""Application configuration for parvis.routing."""

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "parvis.routing"
    label = "routing"
    verbose_name = "Routage"
