"""Application configuration for parvis.notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "parvis.notifications"
    label = "notifications"
    verbose_name = "Notifications"
