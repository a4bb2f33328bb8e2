"""The codes a workflow is made of: who may act, what a transition asks, what it does.

Codes are stored (in the workflow's versions and in events); the labels here are what a
person reads, translated when shown.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldKind(models.TextChoices):
    """What an agent types when performing a transition (a decision, a date)."""

    TEXT = "text", _("texte court")
    TEXTAREA = "textarea", _("texte long")
    DATE = "date", _("date")


class ActionKind(models.TextChoices):
    """What happens once a transition is made (outbox subscribers of its event)."""

    NOTIFY_CITIZEN = "notify_citizen", _("prévenir l'usager")
    REQUEST_DOCUMENT = "request_document", _("demander une pièce à l'usager")
    ASSIGN_ROLE = "assign_role", _("attribuer à un rôle du service")
    SET_DEADLINE = "set_deadline", _("fixer une échéance")


class DeadlineKind(models.TextChoices):
    """A deadline the mairie sets itself (SLA), or one the law sets (a month for a DP)."""

    SLA = "sla", _("délai de traitement")
    LEGAL = "legal", _("délai légal")


CODE_LENGTH = 40
LABEL_LENGTH = 120
