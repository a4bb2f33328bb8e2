"""The access log: who read — or tried to read — which confidential tickets, when, and where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessContext(models.TextChoices):
    """Where a confidential ticket was read: the page, list or interface that showed it."""

    TICKET_PAGE = "ticket_page", _("fiche de la demande")
    TICKET_ACTION = "ticket_action", _("action sur la demande")
    ATTACHMENT = "attachment", _("pièce jointe")
    API = "api", _("API")
    QUEUE = "queue", _("liste des demandes")
    API_LIST = "api_list", _("liste des demandes (API)")
    OUTBOX = "outbox", _("courriels envoyés")
    ADMIN = "admin", _("administration")
    TRACKING_PAGE = "tracking_page", _("lien de suivi de l'usager")
    REQUESTER_SEARCH = "requester_search", _("recherche d'usager (accueil, téléphone)")


class AccessLog(models.Model):
    """One reading by an agent — or one refused attempt — of confidential tickets.

    A ticket's page is one entry with one ticket; a list (the queue, the API's list, the
    outbox) is one entry per request with the confidential tickets it showed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    tickets = models.ManyToManyField(
        "tickets.Ticket",
        through="AccessLogTicket",
        related_name="access_logs",
        verbose_name=_("demandes"),
    )
    accessed_at = models.DateTimeField(_("consulté le"), auto_now_add=True, db_index=True)
    context = models.CharField(
        _("contexte"),
        max_length=60,
        choices=AccessContext.choices,
        default=AccessContext.TICKET_PAGE,
    )
    granted = models.BooleanField(
        _("accès accordé"), default=True, help_text=_("Décoché : une tentative refusée.")
    )

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("consultation d'une demande confidentielle")
        verbose_name_plural = _("journal des consultations confidentielles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_context_display()} — {self.accessed_at:%d/%m/%Y %H:%M}"


class AccessLogTicket(models.Model):
    """A confidential ticket shown (or refused) by one access log entry."""

    access_log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="+", verbose_name=_("demande")
    )

    class Meta:
        verbose_name = _("demande consultée")
        verbose_name_plural = _("demandes consultées")
        constraints = [
            models.UniqueConstraint(
                fields=["access_log", "ticket"], name="one_row_per_logged_ticket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.access_log_id} — {self.ticket_id}"
