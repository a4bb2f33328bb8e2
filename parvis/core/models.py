"""Base models shared by every app, the commune's own identity and the shared cache's table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.cache_versions import COMMUNE, VersionedQuerySet, memo
from parvis.core.snapshots import Row


class TimeStampedModel(models.Model):
    """Adds creation and modification times."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class Commune(models.Model):
    """The commune that runs this Parvis: its name, contact and colours (one row)."""

    name = models.CharField(_("nom de la commune"), max_length=120, default="Ma commune")
    email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.TextField(_("adresse de la mairie"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    primary_color = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#1d4e89",
        help_text=_(
            "Code hexadécimal, par exemple #1d4e89. Gardez un bon contraste avec le blanc."
        ),
    )
    logo = models.ImageField(_("logo"), upload_to="commune/", blank=True)
    mail_reopen_days = models.PositiveSmallIntegerField(
        _("réouverture par courriel (jours)"),
        default=30,
        help_text=_(
            "Une réponse par courriel à une demande close la rouvre pendant ce nombre de "
            "jours après sa clôture ; ensuite, elle ouvre une nouvelle demande liée à "
            "l'ancienne."
        ),
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("commune")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Commune":
        """The commune (read on every page): an instance of the caller's own, with no query.

        Built from this process's copy, which follows the version ``commune`` (an edit shows
        everywhere within a second, parvis.core.cache_versions).
        """
        row = memo(COMMUNE, "row", _commune_row)
        return row.instance() if row is not None else cls(name="Ma commune")


def _commune_row() -> Row[Commune] | None:
    commune = Commune.objects.order_by("pk").first()
    return Row.of(commune) if commune is not None else None


class CacheEntry(models.Model):
    """A row of the shared cache when there is no Redis (parvis.core.cache_backend).

    Django's database cache creates its table with ``createcachetable``; as a model, it is
    created by ``migrate`` on every database, tests' included, whatever the settings say.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "parvis_cache"
        verbose_name = _("entrée du cache")
        verbose_name_plural = _("entrées du cache")

    def __str__(self) -> str:
        return self.cache_key


class RateCounter(models.Model):
    """A rate limit's counter when there is no Redis (``DatabaseCache.count``).

    Beside the cache's table rather than in it: a counter is one upsert here (the cache's
    values are pickled, so its rows cannot be added to in SQL), and the cache's culling
    never drops one. ``expires`` is in Unix seconds: compared alike by SQLite and PostgreSQL.
    """

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField()
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "parvis_ratecounter"
        verbose_name = _("compteur de limite")
        verbose_name_plural = _("compteurs de limite")

    def __str__(self) -> str:
        return self.key
