"""Application configuration for parvis.backoffice."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default = True

    name = "parvis.backoffice"
    label = "backoffice"
    verbose_name = _("Espace agents")


class ParvisAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site asks for the second factor (admin_site.py)."""

    default = False  # named in INSTALLED_APPS; the back office's own config stays the default
    default_site = "parvis.backoffice.admin_site.ParvisAdminSite"
