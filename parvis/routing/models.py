"""Keyword rules and the triage classifier that send free text without a démarche to a service."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import Service
from parvis.core.cache_versions import VersionedQuerySet


class KeywordRule(models.Model):
    """If the text contains one of these words, the ticket goes to this service."""

    keywords = models.TextField(
        _("mots-clés"),
        help_text=_("Séparés par des virgules ; majuscules et accents sont ignorés."),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="keyword_rules", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(
        _("priorité"),
        default=0,
        help_text=_("Les règles de plus petit numéro sont essayées d'abord."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("règle de routage par mots-clés")
        verbose_name_plural = _("règles de routage par mots-clés")

    def __str__(self) -> str:
        return f"{self.keywords[:60]} → {self.service}"


class ClassifierVersion(models.Model):
    """One trained triage classifier, its measure on requests it did not learn from, its bytes.

    The newest is the one in use (``routing.triage``). Each retraining (nightly, or asked by an
    administrator) adds a version; the measure lets the administrator see whether the
    commune's own history made it better.
    """

    created_at = models.DateTimeField(_("entraîné le"), default=timezone.now)
    bootstrap_examples = models.PositiveIntegerField(_("exemples du corpus de départ"))
    history_examples = models.PositiveIntegerField(_("demandes de la commune"))
    evaluated_on = models.PositiveIntegerField(_("demandes de l'évaluation"))
    evaluated_on_history = models.BooleanField(
        _("évalué sur l'historique de la commune"),
        default=False,
        help_text=_("Sinon, sur une part du corpus de départ mise de côté."),
    )
    accuracy = models.FloatField(_("exactitude (1er choix)"))
    top3_accuracy = models.FloatField(_("exactitude (3 premiers choix)"))
    macro_f1 = models.FloatField(_("F1 macro"))
    training_seconds = models.FloatField(_("durée de l'entraînement (s)"))
    model = models.BinaryField(_("modèle"))

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("version du classifieur")
        verbose_name_plural = _("versions du classifieur")

    def __str__(self) -> str:
        return f"v{self.pk} ({self.accuracy:.0%})"
