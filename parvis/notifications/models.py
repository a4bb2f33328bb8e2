"""Every email Parvis writes, kept: the local outbox and the record of what went.

A mail is written once, in the transaction that delivers its event (``subscribers`` for the
citizen's, ``agent_notices`` for the agents'); it is then sent by SMTP when a server is
configured (``sending``), or simply kept for the outbox page when none is. Its ticket page
lists it with its delivery status (``delivery``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.notifications.links import mask_secret_links
from parvis.tickets.models import Event, Ticket, TicketFollower


class Audience(models.TextChoices):
    """Whom a mail is for: the citizen (their answer comes back to the ticket) or agents."""

    CITIZEN = "citizen", _("usager")
    AGENT = "agent", _("agents")


class Template(models.TextChoices):
    """What a mail is: its text's template (``notifications/email/<code>.txt``)."""

    ACKNOWLEDGEMENT = "acknowledgement", _("accusé de réception")
    REPLY = "reply", _("réponse")
    RESOLVED = "resolved", _("avis de résolution")
    TRACKING_LINK = "tracking_link", _("lien de suivi")
    TRANSFERRED = "transferred", _("avis de transfert")
    WAITING = "waiting", _("attente d'une information de l'usager")
    SATISFACTION = "satisfaction", _("invitation à donner son avis")
    MERGED = "merged", _("avis de regroupement avec une autre demande")
    WORKFLOW_STEP = "workflow_step", _("avis d'étape")
    AGENT_CITIZEN_MESSAGE = "agent_citizen_message", _("avis aux agents : message de l'usager")
    AGENT_BOUNCE = "agent_bounce", _("avis aux agents : courriel non remis")
    AGENT_ARTICLE_REVIEW = "agent_article_review", _("avis aux agents : fiche à relire")
    AGENT_DIGEST = "agent_digest", _("récapitulatif quotidien des échéances")
    AGENT_DEADLINE_WARNING = "agent_deadline_warning", _("avis aux agents : échéance proche")
    AGENT_DEADLINE_OVERDUE = "agent_deadline_overdue", _("avis au responsable : retard")


class Delivery(models.TextChoices):
    """Where a mail stands, as its ticket page says it."""

    KEPT = "kept", _("gardé dans la boîte locale")
    PENDING = "pending", _("en attente")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    BOUNCED = "bounced", _("non remis")


class Mail(models.Model):
    """An email about a ticket, to its citizen or to its agents: what was written, from which
    address, and whether it went out and arrived."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    template = models.CharField(_("modèle"), max_length=30, choices=Template.choices, blank=True)
    # A citizen's mail to one who follows the ticket (``TicketFollower``), not its requester:
    # their own conversation (``selectors.conversation_ids``), their own link.
    follower = models.ForeignKey(
        TicketFollower, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    audience = models.CharField(
        _("destinataire"), max_length=8, choices=Audience.choices, default=Audience.CITIZEN
    )
    # "Name <address>" as written in From, chosen when the mail is written (``senders``): a
    # retry goes from the same address, and the ticket page says which one. Empty on mails
    # written before it was recorded: they go from DEFAULT_FROM_EMAIL's address.
    from_email = models.CharField(_("expéditeur"), max_length=300, blank=True)
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
    # A delivery report said it never arrived (``actions.mail_mark_bounced``).
    bounced_at = models.DateTimeField(_("non remis le"), null=True, blank=True)

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

    @property
    def delivery(self) -> Delivery:
        """Kept locally, waiting, sent, failing (retried, ``last_error``) or bounced."""
        if self.bounced_at is not None:
            return Delivery.BOUNCED
        if self.sent_at is not None:
            return Delivery.SENT
        if self.last_error:
            return Delivery.FAILED
        return Delivery.KEPT if self.next_attempt_at is None else Delivery.PENDING

    @property
    def is_for_agents(self) -> bool:
        return self.audience == Audience.AGENT


class TextMessage(models.Model):
    """An SMS written to a citizen from one of their ticket's events, and whether it went.

    Written in the event's delivery (``actions.sms_write``), sent after the commit by the
    worker through the configured backend (``sms``), retried with back-off on failure.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="text_messages"
    )
    event = models.ForeignKey(
        "tickets.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template = models.CharField(_("modèle"), max_length=30, choices=Template.choices)
    to = models.CharField(_("destinataire"), max_length=30)
    body = models.TextField(_("texte"))
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="sms_due_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.template}"
