"""Application configuration for parvis.knowledge."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "parvis.knowledge"
    label = "knowledge"
    verbose_name = _("Base de connaissances")

    def ready(self) -> None:
        # The review reminders register with Huey as a periodic job.
        from parvis.knowledge import tasks  # noqa: F401
