"""The documents other apps give the search module to find (articles, and any other kind)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.cache_versions import VersionedQuerySet


class Audience(models.TextChoices):
    PUBLIC = "public", _("public")
    AGENTS = "agents", _("agents seulement")


class SearchDocument(models.Model):
    """One document of one kind ("article"…), with its text and its analysed terms.

    Written by ``actions.document_index`` only. The terms (stems, space-separated) are kept
    so that a process builds its index without stemming again; the text is kept to analyse
    it again when the analysis changes (``parvis search reindex``).
    """

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    service_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    keyword_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
