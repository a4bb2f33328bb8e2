"""Every message the mairie's addresses received, kept as it arrived before anything else."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    """One message, stored byte for byte the moment it is handed over, then processed once.

    ``dedupe_key`` is what makes a second delivery of the same message the same message: its
    Message-ID, else the SHA-256 of its bytes. Processing runs under a lock on this row and
    records its outcome in the same transaction as its effect (a ticket, a message, a note),
    so a crash at any point leaves it either untouched (``received``, processed again on
    restart) or done.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("à traiter")
        PROCESSED = "processed", _("traité")
        QUARANTINED = "quarantined", _("en quarantaine")
        DISCARDED = "discarded", _("écarté")

    class Outcome(models.TextChoices):
        CREATED = "created", _("nouvelle demande")
        APPENDED = "appended", _("ajouté à une demande")
        AUTO_REPLY = "auto_reply", _("réponse automatique")
        BOUNCE = "bounce", _("avis de non-remise")
        IGNORED = "ignored", _("ignoré")
        QUARANTINED = "quarantined", _("mis en quarantaine")

    class Source(models.TextChoices):
        SMTP = "smtp", _("SMTP / LMTP")
        IMAP = "imap", _("boîte IMAP")
        FILE = "file", _("fichier")

    dedupe_key = models.CharField(_("clé d'unicité"), max_length=300, unique=True)
    message_id = models.CharField(_("identifiant du message"), max_length=250, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    raw = models.BinaryField(_("message d'origine"))
    size = models.PositiveIntegerField(_("taille (octets)"))
    source = models.CharField(_("reçu par"), max_length=8, choices=Source.choices)
    recipient = models.CharField(_("adresse destinataire"), max_length=254, blank=True)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("demande"),
    )
    error = models.TextField(_("erreur"), blank=True)
    # Names of the attachments the file checks refused (the reason: the check run again).
    refused_files = models.JSONField(_("pièces jointes refusées"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("courriel reçu")
        verbose_name_plural = _("courriels reçus")

    def __str__(self) -> str:
        return self.message_id or self.sha256[:12]
