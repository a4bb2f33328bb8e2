"""Application configuration for parvis.intake."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "parvis.intake"
    label = "intake"
    verbose_name = "Réception des demandes"
