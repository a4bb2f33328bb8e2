"""Application configuration for parvis.notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "parvis.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The citizen's emails and the agents' notices subscribe to ticket events; the mail
        # jobs register with Huey.
        from parvis.notifications import agent_notices, subscribers, tasks  # noqa: F401
