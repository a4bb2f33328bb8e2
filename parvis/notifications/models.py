"""Every email Parvis writes to a citizen, kept: the local outbox and the record of what went.

A mail is written once, in the transaction that delivers its event (``subscribers``); it is
then sent by SMTP when a server is configured (``sending``), or simply kept for the outbox
page when none is.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.notifications.links import mask_secret_links
from parvis.tickets.models import Event, Ticket


class Mail(models.Model):
    """An email to a citizen about a ticket: what was written, and whether it went out."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    template = models.CharField(_("modèle"), max_length=30, blank=True)
    to = models.TextField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    message_id = models.CharField(
        _("identifiant du message"), max_length=250, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, next_attempt_at__isnull=False),
                name="mail_to_send_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def masked_body(self) -> str:
        """The text as agents may read it: tracking links masked (the citizen's keys)."""
        return mask_secret_links(self.body)
