"""Application configuration for parvis.satisfaction."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "parvis.satisfaction"
    label = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self) -> None:
        # The invitation is a subscriber of the ticket's closing.
        from parvis.satisfaction import subscribers  # noqa: F401
