"""Application configuration for parvis.tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "parvis.tickets"
    label = "tickets"
    verbose_name = "Demandes"
