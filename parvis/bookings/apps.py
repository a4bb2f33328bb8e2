"""Application configuration for parvis.bookings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "parvis.bookings"
    label = "bookings"
    verbose_name = _("Salles et matériel")
