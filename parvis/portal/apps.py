"""Application configuration for parvis.portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "parvis.portal"
    label = "portal"
    verbose_name = _("Portail usagers")
