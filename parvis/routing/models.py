"""Keyword rules that send free text without a démarche to a service."""

from django.db import models
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
