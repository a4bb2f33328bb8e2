"""Application configuration for parvis.intake."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "parvis.intake"
    label = "intake"
    verbose_name = _("Réception des demandes")
