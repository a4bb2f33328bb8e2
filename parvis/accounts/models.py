"""Agents (staff users and their service memberships) and requesters (citizens, associations)."""

import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import Service
from parvis.core.cache_versions import VersionedQuerySet
from parvis.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    """Django's, whose querysets' bulk writes bump the version ``access`` (ADR 0031)."""

    def get_queryset(self) -> VersionedQuerySet["User"]:
        return VersionedQuerySet(self.model, using=self._db)


class User(AbstractUser):
    """A person who logs in: an agent of the mairie, or an administrator."""

    services = models.ManyToManyField(
        Service,
        through="Membership",
        related_name="members",
        blank=True,
        verbose_name=_("services"),
    )
    is_system = models.BooleanField(
        _("acteur automatique"),
        default=False,
        editable=False,
        help_text=_("Parvis lui-même : les tâches de fond et les règles automatiques."),
    )
    is_demo = models.BooleanField(
        _("compte de démonstration"),
        default=False,
        editable=False,
        help_text=_(
            "Créé par load-demo, mot de passe publié : la double authentification ne lui est "
            "pas demandée."
        ),
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            # One system actor: what jobs and automatic rules do is signed by it.
            models.UniqueConstraint(
                fields=["is_system"], condition=models.Q(is_system=True), name="one_system_actor"
            )
        ]

    def __str__(self) -> str:
        if self.is_system:
            return str(_("Parvis (automatique)"))
        return self.get_full_name() or self.username


class Membership(models.Model):
    """An agent belongs to a service, as agent, head of service or elected official.

    An elected official (a deputy mayor, « adjoint au maire ») belongs to the services of
    their delegation: they see its tickets and make the decisions a workflow reserves to
    them (approving a room booking).
    """

    class Role(models.TextChoices):
        AGENT = "agent", _("agent")
        MANAGER = "manager", _("responsable de service")
        ELECTED = "elected", _("élu délégué (adjoint)")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.AGENT)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance à un service")
        verbose_name_plural = _("appartenances aux services")
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.service}"


class Requester(TimeStampedModel):
    """Whoever files a request: a citizen or an association, found again by email or phone."""

    class Kind(models.TextChoices):
        PERSON = "person", _("particulier")
        ASSOCIATION = "association", _("association")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True, db_index=True)
    # Written by requester_email_confirm only: the owner of this address showed they read our
    # mail there (docs/decisions/0018-abuse-of-the-public-form.md). The address itself is
    # kept, so that a confirmation never passes to an address changed afterwards.
    confirmed_email = models.EmailField(_("courriel confirmé"), blank=True, editable=False)
    email_confirmed_at = models.DateTimeField(
        _("courriel confirmé le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "L'usager a suivi un lien d'un de nos courriels et a agi sur la page ouverte : "
            "ses accusés de réception reprennent alors le détail de ses demandes."
        ),
    )
    # Written by requester_email_failing when a mail to the address came back undelivered;
    # cleared when the address changes or a mail from it arrives.
    failing_email = models.EmailField(_("courriel en échec"), blank=True, editable=False)
    email_failed_at = models.DateTimeField(
        _("courriel en échec depuis"), null=True, blank=True, editable=False
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    phone_normalized = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    name_normalized = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requester_profiles",
        help_text=_("Pour les demandes internes : l'agent qui les dépose."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("usager")
        verbose_name_plural = _("usagers")
        constraints = [
            # One email, one requester: two channels writing at once cannot make two.
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="unique_requester_email"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def failing_since(self, email: str) -> datetime.datetime | None:
        """Since when mail to this address comes back undelivered (None: it is not known to)."""
        address = email.strip().lower()
        if address and self.failing_email == address:
            return self.email_failed_at
        return None

    def has_confirmed(self, email: str) -> bool:
        """Whether this address is the requester's own and its owner confirmed it."""
        address = email.strip().lower()
        return bool(address) and self.email == address == self.confirmed_email


class ApiToken(models.Model):
    """The key an agent's application sends as ``Authorization: Token <key>``.

    Only the key's SHA-256 is kept: a copy of the database does not give access to the API.
    The key is shown once, when it is created (``parvis create-api-token``).
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="api_token", verbose_name=_("agent")
    )
    key_hash = models.CharField(_("empreinte SHA-256 du jeton"), max_length=64, unique=True)
    prefix = models.CharField(
        _("début du jeton"), max_length=8, help_text=_("Pour le reconnaître, sans le révéler.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
