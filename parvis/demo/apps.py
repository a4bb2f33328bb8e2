"""Application configuration for parvis.demo."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "parvis.demo"
    label = "demo"
    verbose_name = _("Commune de démonstration")
