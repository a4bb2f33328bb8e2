"""Application configuration for parvis.sla."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "parvis.sla"
    label = "sla"
    verbose_name = _("Délais et calendriers")

    def ready(self) -> None:
        # Deadlines follow ticket events; the escalation job registers with Huey.
        from parvis.core import cache_versions
        from parvis.sla import subscribers, tasks  # noqa: F401
        from parvis.sla.models import CalendarSettings, Closure, OpeningPeriod

        # Each process keeps the calendars (every deadline reads one): a write shows at once.
        cache_versions.track(cache_versions.CALENDAR, CalendarSettings, OpeningPeriod, Closure)
