"""The access log: who read which confidential ticket, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One reading of a confidential ticket by an agent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="access_logs",
        verbose_name=_("demande"),
    )
    accessed_at = models.DateTimeField(_("consulté le"), auto_now_add=True, db_index=True)
    context = models.CharField(_("contexte"), max_length=60, default="ticket_page")

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("consultation d'une demande confidentielle")
        verbose_name_plural = _("journal des consultations confidentielles")

    def __str__(self) -> str:
        return f"{self.user} — {self.ticket_id} — {self.accessed_at:%d/%m/%Y %H:%M}"
