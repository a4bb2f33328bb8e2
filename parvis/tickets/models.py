"""Tickets (demandes), their messages, attachments and the timeline of events."""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import Requester
from parvis.catalog.models import FormVersion, RequestType, Service
from parvis.search.expressions import FrenchVector

# What the search vector of a ticket holds (its reference, email and phone: trigram indexes).
TICKET_SEARCH_FIELDS = ("subject", "description", "requester_name")


class Channel(models.TextChoices):
    WEB = "web", _("formulaire en ligne")
    PHONE = "phone", _("téléphone / accueil")
    EMAIL = "email", _("courriel")
    POSTAL = "postal", _("courrier")
    API = "api", _("application (API)")


class Status(models.TextChoices):
    NEW = "new", _("nouvelle")
    IN_PROGRESS = "in_progress", _("en cours")
    WAITING = "waiting", _("en attente de l'usager")
    RESOLVED = "resolved", _("résolue")
    CLOSED = "closed", _("clôturée")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)


class NotifyBy(models.TextChoices):
    """How the citizen chose to be told of each step of their request."""

    EMAIL = "email", _("par courriel")
    SMS = "sms", _("par SMS")
    NONE = "none", _("aucun message (je consulte ma page de suivi)")


class Priority(models.IntegerChoices):
    LOW = 1, _("basse")
    NORMAL = 2, _("normale")
    HIGH = 3, _("haute")
    URGENT = 4, _("urgente")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class ReferenceCounter(models.Model):
    """Last reference number given in a year. Incremented under a row lock, never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de numéros")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Ticket(models.Model):
    """A request from a citizen (or staff), whatever its channel, with its tracking number."""

    reference = models.CharField(_("numéro de suivi"), max_length=20, unique=True)
    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("démarche"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("service")
    )
    # Set, never cleared, by the actions that give the ticket a service (creation, transfer)
    # and by marking a service confidential: a confidential démarche, or a service marked
    # confidential that the ticket is or has been in (ADR 0002, 0015).
    is_confidential = models.BooleanField(_("confidentielle"), default=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.NORMAL
    )
    requester = models.ForeignKey(
        Requester, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("demandeur")
    )
    # The requester as the person gave it on this ticket: a match by email or phone links
    # the ticket to a known requester, but never shows that requester's name as theirs.
    requester_name = models.CharField(_("nom donné"), max_length=200)
    requester_email = models.EmailField(_("courriel donné"), blank=True)
    requester_phone = models.CharField(_("téléphone donné"), max_length=30, blank=True)
    notify_by = models.CharField(
        _("informé"), max_length=5, choices=NotifyBy.choices, default=NotifyBy.EMAIL
    )
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    field_values = models.JSONField(_("champs de la démarche"), default=dict, blank=True)
    # The démarche's form as it was when the ticket was filed: its values are shown with
    # that version's labels and choices (ADR 0027). Not indexed: nothing looks tickets up
    # by it, and versions are never deleted while a ticket holds one.
    form_version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("version du formulaire"),
    )
    location_address = models.CharField(_("adresse"), max_length=300, blank=True)
    location_lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_lon = models.FloatField(_("longitude"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("agent chargé"),
    )
    follow_up_count = models.PositiveIntegerField(_("relances"), default=0)
    # Set by ``ticket_merge`` only, never cleared: the ticket closed because another one
    # handles the same matter. The lifecycle refuses to reopen it (``lifecycle.transition``).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("fusionnée dans"),
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    # The agents' full-text search (parvis/search/ticket_search.py): kept by PostgreSQL.
    search_vector = models.GeneratedField(
        expression=FrenchVector(*TICKET_SEARCH_FIELDS),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        indexes = [
            models.Index(fields=["service", "status", "-created_at"], name="ticket_queue_idx"),
            models.Index(fields=["service", "-created_at"], name="ticket_service_recent_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            models.Index(fields=["-created_at"], name="ticket_recent_idx"),
            # "Recently updated" sort of the queue, and the API's list and sync (updated_since).
            models.Index(fields=["-updated_at"], name="ticket_updated_idx"),
            # A priority filter ("all urgent tickets"): counted and listed from the index.
            models.Index(fields=["priority", "-created_at", "service"], name="ticket_priority_idx"),
            # The working queues and their tab counts read open tickets only, newest first,
            # without walking years of closed ones; the extra columns let PostgreSQL count
            # from the index alone (docs/benchmarks.md).
            # Public-space reports near a place (``routing.nearby``): one démarche, a box of
            # latitudes read from the index, the longitudes checked on the same entries.
            models.Index(
                fields=["request_type", "location_lat", "location_lon"],
                condition=models.Q(location_lat__isnull=False),
                name="ticket_location_idx",
            ),
            models.Index(
                fields=["-created_at", "service", "assignee", "status"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Message(models.Model):
    """A message on a ticket: from the citizen, a public reply, or an internal note."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("message de l'usager")
        REPLY = "reply", _("réponse à l'usager")
        NOTE = "note", _("note interne")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"))
    is_follow_up = models.BooleanField(_("relance"), default=False)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    search_vector = models.GeneratedField(
        expression=FrenchVector("body"), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.ticket.created_at:%Y/%m}/{instance.ticket.reference}/{filename}"


class Attachment(models.Model):
    """A file sent with a ticket or a message, kept in the configured storage."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    field_key = models.CharField(max_length=60, blank=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """One change in a ticket's life, as a fact: for the timeline, the audit and subscribers.

    ``data`` holds ids and codes, never display text; ``parvis.tickets.events`` says who may
    see each kind and renders it. Written in the transaction of the change it records, with
    one ``EventDelivery`` per subscriber of its kind (the transactional outbox).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("demande reçue")
        ROUTED = "routed", _("orientée")
        STATUS = "status", _("statut modifié")
        ASSIGNED = "assigned", _("attribuée")
        TRANSFERRED = "transferred", _("transférée")
        PRIORITY = "priority", _("priorité modifiée")
        REPLY = "reply", _("réponse envoyée")
        NOTE = "note", _("note interne")
        CITIZEN_MESSAGE = "citizen_message", _("message de l'usager")
        FOLLOW_UP = "follow_up", _("relance de l'usager")
        REQUESTER_CREATED = "requester_created", _("usager enregistré")
        TRACKING_LINK_SENT = "tracking_link_sent", _("lien de suivi envoyé")
        MAIL_RESENT = "mail_resent", _("courriel renvoyé")
        MAIL_WITHHELD = "mail_withheld", _("courriel retenu")
        LETTER_PRINTED = "letter_printed", _("réponse imprimée en courrier")
        MAIL_BOUNCED = "mail_bounced", _("courriel non remis")
        SAME_MATTER = "same_matter", _("peut-être la même affaire")
        NEARBY_REPORT = "nearby_report", _("signalement proche")
        FOLLOWER_ADDED = "follower_added", _("personne ajoutée au suivi")
        MERGED_INTO = "merged_into", _("fusionnée dans une autre demande")
        MERGED_FROM = "merged_from", _("une autre demande y a été fusionnée")
        DEADLINE_WARNING = "deadline_warning", _("échéance proche signalée")
        DEADLINE_OVERDUE = "deadline_overdue", _("retard signalé")
        BOOKING_REQUESTED = "booking_requested", _("réservation demandée")
        BOOKING_APPROVED = "booking_approved", _("réservation accordée")
        BOOKING_REFUSED = "booking_refused", _("réservation refusée")
        BOOKING_CANCELLED = "booking_cancelled", _("réservation annulée")
        WORKFLOW_STEP = "workflow_step", _("étape du circuit")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.ticket_id}"


class TicketFollower(models.Model):
    """Another requester who receives a ticket's public updates, as its requester does.

    A ticket has one requester (who filed it) and any number of followers: the requester of
    a ticket merged into it, a neighbour who reported the same pothole and chose to follow
    this report, someone an agent added. Written by ``actions.ticket_follow`` only.
    """

    class Reason(models.TextChoices):
        MERGED = "merged", _("demande fusionnée")
        NEARBY_REPORT = "nearby_report", _("même signalement à proximité")
        ADDED_BY_AGENT = "added_by_agent", _("ajouté par un agent")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followers")
    requester = models.ForeignKey(
        Requester, on_delete=models.PROTECT, related_name="followed", verbose_name=_("usager")
    )
    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    # The address to write to, as the person gave it (their merged ticket's, a form's): as
    # ``Ticket.requester_email``, never that of a requester found by phone.
    email = models.EmailField(_("courriel donné"), blank=True)
    # Merged: the follower's own ticket, closed into this one; its tracking page is theirs.
    source_ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("personne qui suit la demande")
        verbose_name_plural = _("personnes qui suivent la demande")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "requester"], name="one_follow_per_requester")
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.ticket_id}"


class EventDelivery(models.Model):
    """One event to hand to one subscriber: the transactional outbox.

    Written with the event, in the same transaction; the dispatcher (``parvis.tickets.outbox``)
    hands it over, retries with back-off, and after ``MAX_ATTEMPTS`` marks it failed, where an
    administrator sees it and can retry it.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(_("abonné"), max_length=60)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("remise d'événement")
        verbose_name_plural = _("remises d'événements")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="one_delivery_per_sub")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(delivered_at__isnull=True, failed_at__isnull=True),
                name="delivery_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} — {self.event_id}"
