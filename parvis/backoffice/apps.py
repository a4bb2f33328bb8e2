"""Application configuration for parvis.backoffice."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "parvis.backoffice"
    label = "backoffice"
    verbose_name = _("Espace agents")
