"""Application configuration for parvis.backoffice."""

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "parvis.backoffice"
    label = "backoffice"
    verbose_name = "Espace agents"
