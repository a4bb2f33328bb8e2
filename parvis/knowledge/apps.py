"""Application configuration for parvis.knowledge."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "parvis.knowledge"
    label = "knowledge"
    verbose_name = _("Base de connaissances")

    def ready(self) -> None:
        # The review reminders register with Huey as a periodic job.
        from parvis.core import cache_versions
        from parvis.knowledge import tasks  # noqa: F401
        from parvis.knowledge.models import Category

        # Articles bump it themselves when what the public sees changes (``indexing``): a
        # version tracking every article row would move at each reading (its view count).
        cache_versions.track(cache_versions.KNOWLEDGE, Category)
