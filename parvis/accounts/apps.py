"""Application configuration for parvis.accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "parvis.accounts"
    label = "accounts"
    verbose_name = _("Comptes et usagers")
