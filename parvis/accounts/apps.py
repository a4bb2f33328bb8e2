"""Application configuration for parvis.accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "parvis.accounts"
    label = "accounts"
    verbose_name = _("Comptes et usagers")

    def ready(self) -> None:
        from parvis.accounts.models import ApiToken, Membership, User
        from parvis.core import cache_versions

        # Who an API key is and where they belong, kept per process (ADR 0031).
        cache_versions.track(cache_versions.ACCESS, User, Membership, ApiToken)
