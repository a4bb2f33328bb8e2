"""Application configuration for parvis.mailin: mail received by the mairie's addresses."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "parvis.mailin"
    label = "mailin"
    verbose_name = _("Courriels reçus")
