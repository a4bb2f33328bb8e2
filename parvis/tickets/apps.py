"""Application configuration for parvis.tickets."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "parvis.tickets"
    label = "tickets"
    verbose_name = _("Demandes")

    def ready(self) -> None:
        # The outbox's jobs register with Huey, and are nudged after each commit.
        from parvis.tickets import tasks  # noqa: F401
