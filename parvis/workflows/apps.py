"""Application configuration for parvis.workflows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "parvis.workflows"
    label = "workflows"
    verbose_name = _("Circuits de traitement")

    def ready(self) -> None:
        # The step event's rendering joins the registry; the transitions' actions subscribe
        # to it.
        from parvis.core import cache_versions
        from parvis.workflows import events, subscribers  # noqa: F401
        from parvis.workflows.models import WorkflowVersion

        events.register_kind()
        cache_versions.track(cache_versions.CATALOGUE, WorkflowVersion)
