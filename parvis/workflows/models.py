"""Workflows: per démarche, versioned statuses and transitions, and where each ticket stands.

A ``Workflow`` belongs to one démarche. Its content lives in ``WorkflowVersion`` rows that
are never changed once written: an administrator's edit writes a new version, and a ticket
keeps the version it was filed under (``TicketWorkflow``), so that a workflow edited while
a ticket is in the middle of it never strands that ticket on a status that no longer exists.
Each status names the lifecycle state it stands for (docs/decisions/0010): queues, deadlines
and Open311 keep reading ``Ticket.status`` only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import VersionedQuerySet
from parvis.tickets.models import Status, Ticket
from parvis.workflows.vocabulary import CODE_LENGTH, LABEL_LENGTH


class Workflow(models.Model):
    """The workflow of one démarche; its content is its latest ``WorkflowVersion``."""

    request_type = models.OneToOneField(
        RequestType,
        on_delete=models.PROTECT,
        related_name="workflow",
        verbose_name=_("démarche"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("circuit de traitement")
        verbose_name_plural = _("circuits de traitement")

    def __str__(self) -> str:
        return str(self.request_type)


class WorkflowVersion(models.Model):
    """One state of a workflow, frozen once written: the tickets filed under it follow it."""

    workflow = models.ForeignKey(
        Workflow, on_delete=models.PROTECT, related_name="versions", verbose_name=_("circuit")
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Written by load-catalog from the shipped defaults; an administrator's version is not,
    # and load-catalog then never replaces it.
    is_default = models.BooleanField(_("circuit livré avec Parvis"), default=False)

    # A new version bumps the catalogue's version: each process's map of the démarches'
    # current versions (``selectors.current_version_ids``) follows.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["workflow", "-number"]
        verbose_name = _("version de circuit")
        verbose_name_plural = _("versions de circuit")
        constraints = [
            models.UniqueConstraint(fields=["workflow", "number"], name="unique_workflow_version")
        ]

    def __str__(self) -> str:
        return f"{self.workflow} v{self.number}"


class WorkflowStatus(models.Model):
    """A step of a workflow version: what agents and the citizen read, and its lifecycle state.

    The first status (lowest ``position``) is where a new ticket starts. An empty
    ``public_label`` hides the status from the citizen, who then keeps reading the last
    public one.
    """

    version = models.ForeignKey(WorkflowVersion, on_delete=models.CASCADE, related_name="statuses")
    code = models.SlugField(_("code"), max_length=CODE_LENGTH)
    label = models.CharField(_("libellé pour les agents"), max_length=LABEL_LENGTH)
    public_label = models.CharField(
        _("libellé pour l'usager"),
        max_length=LABEL_LENGTH,
        blank=True,
        help_text=_("Vide : étape invisible pour l'usager."),
    )
    lifecycle_state = models.CharField(
        _("état de la demande"), max_length=12, choices=Status.choices
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_status_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_public(self) -> bool:
        return bool(self.public_label)


class WorkflowTransition(models.Model):
    """A move from one status to another: its button, who may make it, what it asks and does.

    ``roles``: the membership roles allowed (``Membership.Role`` codes; empty: any member of
    the service). ``service``: whose members may act (empty: the ticket's service as it is
    then). ``fields``: what the agent must type, a list of ``{key, label, kind, required,
    public}`` (``vocabulary.FieldKind``; a public value is shown to the citizen). ``actions``:
    what follows, a list of ``{kind, …parameters}`` (``vocabulary.ActionKind``): checked by
    ``specs.check`` before a version is written.
    """

    version = models.ForeignKey(
        WorkflowVersion, on_delete=models.CASCADE, related_name="transitions"
    )
    code = models.SlugField(_("code"), max_length=CODE_LENGTH)
    source = models.ForeignKey(
        WorkflowStatus, on_delete=models.CASCADE, related_name="exits", verbose_name=_("de")
    )
    target = models.ForeignKey(
        WorkflowStatus, on_delete=models.CASCADE, related_name="entries", verbose_name=_("vers")
    )
    label = models.CharField(_("libellé du bouton"), max_length=LABEL_LENGTH)
    roles = models.JSONField(_("rôles autorisés"), default=list, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service qui décide"),
    )
    fields = models.JSONField(_("champs demandés"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_transition_code")
        ]

    def __str__(self) -> str:
        return self.label


class TicketWorkflow(models.Model):
    """Where a ticket stands in the workflow version it was filed under.

    A table of its own rather than columns on ``Ticket``: tickets stay free of the workflows
    app (which builds on them, not the reverse), the many tickets without a workflow carry
    nothing, and the queues' indexes on the tickets table are untouched (ADR 0026).
    """

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="workflow_state"
    )
    version = models.ForeignKey(WorkflowVersion, on_delete=models.PROTECT, related_name="tickets")
    status = models.ForeignKey(WorkflowStatus, on_delete=models.PROTECT, related_name="tickets")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("étape d'une demande")
        verbose_name_plural = _("étapes des demandes")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.status.code}"
