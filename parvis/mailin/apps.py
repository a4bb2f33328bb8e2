"""Application configuration for parvis.mailin: mail received by the mairie's addresses."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "parvis.mailin"
    label = "mailin"
    verbose_name = _("Courriels reçus")

    def ready(self) -> None:
        from parvis.core import cache_versions
        from parvis.mailin.models import Mailbox

        # The addresses are configuration read with each message, kept with the catalogue
        # (their default services and démarches are the catalogue's).
        cache_versions.track(cache_versions.CATALOGUE, Mailbox)
