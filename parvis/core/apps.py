"""Application configuration for parvis.core."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parvis.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from parvis.core import cache_versions
        from parvis.core.models import Commune

        cache_versions.track(cache_versions.COMMUNE, Commune)
        # Sent once per application: this app's is enough for one bump per migrate.
        post_migrate.connect(cache_versions.bump_all, sender=self, dispatch_uid="bump-all")
