"""Application configuration for parvis.portal."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "parvis.portal"
    label = "portal"
    verbose_name = "Portail usagers"
