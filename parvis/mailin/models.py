"""Every message the mairie's addresses received, kept as it arrived before anything else."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core.cache_versions import VersionedQuerySet


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
    message_id = models.CharField(
        _("identifiant du message"), max_length=250, blank=True, db_index=True
    )
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
    mailbox = models.ForeignKey(
        "Mailbox",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("adresse de la mairie"),
    )
    # The ticket's message this mail became (its cleaned text), when it became one.
    ticket_message = models.ForeignKey(
        "tickets.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound",
        verbose_name=_("message de la demande"),
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


class Mailbox(models.Model):
    """One of the mairie's addresses (``contact@``, ``etat-civil@``…): what its mail becomes.

    A new request written to it goes to its service, or its démarche, unless a reply address
    or a thread says it belongs to a ticket. Mail reaches it by the SMTP/LMTP endpoint
    (``parvis mail serve``) or, when an IMAP server is given, by ``parvis mail poll``. The
    IMAP password is never stored: the mailbox names the environment variable that holds it.
    """

    class Security(models.TextChoices):
        SSL = "ssl", _("SSL/TLS (port 993)")
        STARTTLS = "starttls", _("STARTTLS (port 143)")
        NONE = "none", _("aucune (réseau local seulement)")

    address = models.EmailField(_("adresse"), unique=True)
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailboxes",
        verbose_name=_("service par défaut"),
        help_text=_("Les nouvelles demandes écrites à cette adresse vont à ce service."),
    )
    request_type = models.ForeignKey(
        "catalog.RequestType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailboxes",
        verbose_name=_("démarche par défaut"),
        help_text=_(
            "Seulement une démarche sans champ obligatoire : un courriel ne les remplit pas."
        ),
    )
    sends_for_service = models.BooleanField(
        _("expéditeur du service"),
        default=True,
        help_text=_(
            "Les courriels des demandes de ce service partent de cette adresse "
            "(sinon de l'adresse de la commune)."
        ),
    )
    imap_host = models.CharField(_("serveur IMAP"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("port IMAP"), null=True, blank=True)
    imap_security = models.CharField(
        _("sécurité IMAP"), max_length=8, choices=Security.choices, default=Security.SSL
    )
    imap_user = models.CharField(_("identifiant IMAP"), max_length=200, blank=True)
    imap_password_variable = models.CharField(
        _("variable du mot de passe IMAP"),
        max_length=100,
        blank=True,
        help_text=_(
            "Le nom de la variable d'environnement qui contient le mot de passe, "
            "par exemple PARVIS_IMAP_PASSWORD_CONTACT. Le mot de passe n'est jamais enregistré."
        ),
    )
    imap_folder = models.CharField(_("dossier à relever"), max_length=200, default="INBOX")
    imap_done_folder = models.CharField(
        _("dossier des messages relevés"),
        max_length=200,
        blank=True,
        help_text=_(
            "Un message enregistré est déplacé dans ce dossier ; vide : il est marqué lu et "
            "reste en place."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name = _("adresse de la mairie")
        verbose_name_plural = _("adresses de la mairie")

    def __str__(self) -> str:
        return self.address

    def clean(self) -> None:
        self.address = self.address.strip().lower()
        errors: dict[str, object] = {}
        request_type = self.request_type if self.request_type_id else None
        if request_type is not None and request_type.fields.filter(required=True).exists():
            errors["request_type"] = _(
                "Cette démarche a des champs obligatoires, qu'un courriel ne remplit pas : "
                "choisissez plutôt son service."
            )
        if (
            request_type is not None
            and self.service_id
            and request_type.service_id != self.service_id
        ):
            errors["service"] = _("La démarche par défaut appartient à un autre service.")
        if self.imap_host and not (self.imap_user and self.imap_password_variable):
            errors["imap_user"] = _(
                "Un serveur IMAP demande un identifiant et la variable de son mot de passe."
            )
        if errors:
            raise ValidationError(errors)


class InboundHandling(models.Model):
    """What an administrator did to a quarantined message: who, when, what, and what came of it.

    Kept as facts (an action code, the outcome, the ticket), rendered where shown. Not the
    admin's ``LogEntry``: its user is deleted with the account (``CASCADE``), and this trail
    must outlive the agent who left it.
    """

    class Action(models.TextChoices):
        RETRY = "retry", _("traitement réessayé")
        DISCARD = "discard", _("message écarté")
        ATTACH = "attach", _("rattaché à une demande")

    inbound = models.ForeignKey(
        InboundMessage,
        on_delete=models.PROTECT,
        related_name="handlings",
        verbose_name=_("courriel reçu"),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now)
    # The message's state and outcome once the action was done (a retry may fail again).
    state = models.CharField(_("état après"), max_length=12, choices=InboundMessage.State.choices)
    outcome = models.CharField(
        _("résultat"), max_length=12, choices=InboundMessage.Outcome.choices, blank=True
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demande"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("intervention sur un courriel reçu")
        verbose_name_plural = _("interventions sur les courriels reçus")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%d/%m/%Y %H:%M})"
