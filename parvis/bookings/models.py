"""Bookable resources (rooms, equipment lent) and the bookings of them, each on a ticket.

An approved booking holds its slot: two approved bookings of one resource never overlap.
The database says so, not only this code (``migrations/0002_approved_bookings_never_overlap``):
an exclusion constraint on PostgreSQL, triggers on SQLite (ADR 0025).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import RequestType, Service


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ResourceKind(models.TextChoices):
    ROOM = "room", _("salle")
    EQUIPMENT = "equipment", _("matériel")


class Resource(models.Model):
    """Something the commune lends for a time: a room, or equipment (sound system, tables).

    Booked through a démarche (``request_type``): its choice field of resources lists the
    resource's ``slug`` as a value (``parvis.bookings.binding``).
    """

    Kind = ResourceKind

    slug = models.SlugField(
        _("identifiant"),
        unique=True,
        help_text=_("La valeur qui désigne la ressource dans le champ de choix de la démarche."),
    )
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=ResourceKind.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("service gestionnaire"),
    )
    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("démarche de réservation"),
    )
    capacity = models.PositiveIntegerField(
        _("capacité (personnes)"), null=True, blank=True, help_text=_("Pour une salle.")
    )
    quantity = models.PositiveIntegerField(
        _("quantité"),
        null=True,
        blank=True,
        help_text=_("Pour du matériel : nombre d'éléments prêtés ensemble (50 chaises)."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("réservable"), default=True)
    # The secret of the resource's calendar feed address: unguessable, changed by giving a
    # new one (an old address then stops working).
    feed_token = models.CharField(
        max_length=64, unique=True, default=new_feed_token, editable=False
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("ressource réservable")
        verbose_name_plural = _("ressources réservables")

    def __str__(self) -> str:
        return self.name


class BookingState(models.TextChoices):
    REQUESTED = "requested", _("demandée")
    APPROVED = "approved", _("accordée")
    REFUSED = "refused", _("refusée")
    CANCELLED = "cancelled", _("annulée")


class Booking(models.Model):
    """A slot of a resource asked for on a ticket; once approved, nobody else gets it.

    ``[starts_at, ends_at)``: a booking ending at 14:00 and one starting at 14:00 do not
    overlap.
    """

    State = BookingState

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("ressource")
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("demande"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    state = models.CharField(
        _("état"), max_length=10, choices=BookingState.choices, default=BookingState.REQUESTED
    )
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            )
        ]
        indexes = [
            # A day's or a week's bookings of one resource: the availability and the calendar.
            models.Index(fields=["resource", "state", "starts_at"], name="booking_calendar_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M} ({self.state})"
