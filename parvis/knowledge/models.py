"""The knowledge base: categories, articles (fiches) with their files, changes and votes.

An article is written in Markdown by the agents of its owning service; ``body_html`` is what
the action rendered and sanitised from it (``knowledge.markdown``), kept so that a page read
a thousand times a day is not rendered a thousand times. Only published articles reach the
public; internal ones are for agents only; drafts are for the agents who write them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import VersionedQuerySet

TITLE_LENGTH = 200
SUMMARY_LENGTH = 300
COMMENT_LENGTH = 1000


class Category(models.Model):
    """A heading of the public knowledge base (État civil, Urbanisme…)."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    """Where an article comes from: written here, Parvis's default content, service-public.fr."""

    LOCAL = "local", _("rédigée par la commune")
    DEFAULT = "default", _("contenu par défaut de Parvis")
    DILA = "dila", _("fiche service-public.fr")


class Article(models.Model):
    """A fiche of the knowledge base, owned by one service, linked to démarches."""

    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publiée")
        INTERNAL = "internal", _("interne (agents seulement)")

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=TITLE_LENGTH)
    summary = models.CharField(_("résumé"), max_length=SUMMARY_LENGTH, blank=True)
    body = models.TextField(_("texte (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("catégorie")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="articles", verbose_name=_("service")
    )
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    request_types = models.ManyToManyField(
        RequestType, blank=True, related_name="articles", verbose_name=_("démarches liées")
    )
    keywords = models.CharField(
        _("mots-clés"),
        max_length=300,
        blank=True,
        help_text=_("Mots qu'un usager pourrait taper pour trouver cette fiche."),
    )
    last_reviewed_on = models.DateField(_("relue le"), null=True, blank=True)
    review_every_days = models.PositiveSmallIntegerField(
        _("à relire tous les (jours)"), default=365
    )
    # The review due date a reminder was sent for: each due date is reminded once.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.LOCAL
    )
    source_id = models.CharField(_("référence d'origine"), max_length=80, blank=True)
    source_date = models.DateField(_("date de la source"), null=True, blank=True)
    source_url = models.URLField(_("adresse de la source"), blank=True)
    # The fingerprint of the source's text last installed (default content, fiche): a load
    # brings a newer text only to an article nobody changed since.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    # An agent changed an article that came from elsewhere: a later load keeps their text.
    edited_locally = models.BooleanField(default=False, editable=False)
    view_count = models.PositiveIntegerField(_("consultations"), default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(_("utile : oui"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("utile : non"), default=0, editable=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        ordering = ["category__position", "title"]
        verbose_name = _("fiche")
        verbose_name_plural = _("fiches")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="article_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def review_due_on(self) -> datetime.date:
        """When it should be read again: its last review (or creation) plus its period."""
        start = self.last_reviewed_on or timezone.localdate(self.created_at)
        return start + datetime.timedelta(days=self.review_every_days)


def article_file_path(instance: "ArticleFile", filename: str) -> str:
    return f"knowledge/{instance.article_id}/{filename}"


class ArticleFile(models.Model):
    """A file attached to an article (a PDF form, a leaflet), checked like every upload."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=article_file_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("fichier joint")
        verbose_name_plural = _("fichiers joints")

    def __str__(self) -> str:
        return self.original_name


class ArticleChange(models.Model):
    """One change of an article, as a fact (what kind, who, when): its history."""

    class Kind(models.TextChoices):
        CREATED = "created", _("créée")
        UPDATED = "updated", _("modifiée")
        STATE = "state", _("état modifié")
        REVIEWED = "reviewed", _("relue")
        FILE_ADDED = "file_added", _("fichier ajouté")
        FILE_REMOVED = "file_removed", _("fichier retiré")
        IMPORTED = "imported", _("importée ou mise à jour depuis sa source")
        REVIEW_REMINDED = "review_reminded", _("rappel de relecture envoyé")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("modifications de fiches")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.article_id}"


class ArticleFeedback(models.Model):
    """One answer to « Cet article vous a-t-il aidé ? »: yes or no, and an optional comment.

    Nothing says who gave it (no user, no address, no time finer than the day): the counts on
    the article are what is read; the comments help its service improve it.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField(_("utile"))
    comment = models.TextField(_("commentaire"), max_length=COMMENT_LENGTH, blank=True)
    given_on = models.DateField(_("donné le"), default=timezone.localdate)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("avis sur une fiche")
        verbose_name_plural = _("avis sur les fiches")

    def __str__(self) -> str:
        return f"{self.article_id}: {'oui' if self.helpful else 'non'}"


class Deflection(models.Model):
    """One step of a citizen's way from a request form to an article, as a fact.

    Kept without personal data: no user, no address, no text typed, no time finer than the
    day; ``session`` is a random id drawn for one display of a form, which ties together what
    happened on that form (shown, opened, answered, submitted) and nothing else.
    """

    class Kind(models.TextChoices):
        SHOWN = "shown", _("fiche suggérée")
        OPENED = "opened", _("fiche ouverte depuis une suggestion")
        ANSWERED = "answered", _("« Cette fiche répond à ma question »")
        SUBMITTED = "submitted", _("demande envoyée malgré les suggestions")

    session = models.CharField(max_length=32, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="deflections"
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_on = models.DateField(default=timezone.localdate, db_index=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("suggestion de fiche")
        verbose_name_plural = _("suggestions de fiches")
        constraints = [
            # Typing goes on after a suggestion: the same article shown again on the same form
            # is still one showing.
            models.UniqueConstraint(
                fields=["session", "kind", "article"], name="deflection_once_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.article_id}"


class CannedResponse(models.Model):
    """A reply a service writes often, with placeholders filled in for each ticket
    (``knowledge.canned``): ``{nom}``, ``{numero}``, ``{demarche}``…"""

    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="canned_responses",
        verbose_name=_("service"),
    )
    title = models.CharField(_("titre"), max_length=120)
    body = models.TextField(_("texte"))
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        ordering = ["service__position", "title"]
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")

    def __str__(self) -> str:
        return self.title
