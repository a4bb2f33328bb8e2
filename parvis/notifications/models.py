"""The local outbox: mail kept in the database when no SMTP server is configured."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An email Parvis would have sent; readable on the outbox page by staff."""

    to = models.TextField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("courriel (boîte d'envoi locale)")
        verbose_name_plural = _("courriels (boîte d'envoi locale)")

    def __str__(self) -> str:
        return self.subject
