"""Application configuration for parvis.tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "parvis.tickets"
    label = "tickets"
    verbose_name = "Demandes"

    def ready(self) -> None:
        # The outbox's jobs register with Huey, and are nudged after each commit.
        from parvis.tickets import tasks  # noqa: F401
