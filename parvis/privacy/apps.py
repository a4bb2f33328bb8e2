"""Application configuration for parvis.privacy."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "parvis.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"
