"""Municipal services and the démarches (request types) citizens and staff can file."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from parvis.catalog import vocabulary
from parvis.catalog.vocabulary import (
    MAX_NEARBY_RADIUS_M,
    MAX_NEARBY_WINDOW_DAYS,
    LegalDeadline,
    TargetUnit,
)
from parvis.core.cache_versions import VersionedQuerySet

# A target's upper bound, in its unit (2,000 working hours is about a year).
MAX_TARGET = 2000


def _target_field(label: StrOrPromise, help_text: StrOrPromise) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    """A service-level target in its unit (``parvis.sla`` counts it in working time)."""
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET)],
        help_text=help_text,
    )


def _unit_field() -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(
        _("unité"), max_length=14, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS
    )


class Service(models.Model):
    """A municipal service (état civil, urbanisme…) that receives and handles tickets."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_internal = models.BooleanField(
        _("service interne"),
        default=False,
        help_text=_("Ne reçoit que des demandes du personnel (informatique, services généraux)."),
    )
    is_confidential = models.BooleanField(
        _("service confidentiel"),
        default=False,
        help_text=_(
            "Toute demande qui est ou a été dans ce service devient confidentielle : visible "
            "uniquement de ses agents, chaque consultation est journalisée (CCAS)."
        ),
    )
    triage_threshold = models.FloatField(
        _("seuil d'orientation automatique"),
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "Une demande sans démarche que le classifieur attribue à ce service avec au moins "
            "cette confiance (entre 0 et 1) lui est envoyée directement ; en dessous, elle va à "
            "l'accueil avec ses trois meilleures suggestions. 1 : jamais automatiquement."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # The service-level targets of its tickets that have no démarche, or whose démarche has
    # none (parvis.sla): "répondre sous 2 jours ouvrés, traiter sous 10".
    first_response_target = _target_field(
        _("délai de première réponse"),
        _("Pour les demandes sans démarche ou dont la démarche n'en fixe pas. Vide : aucun."),
    )
    first_response_unit = _unit_field()
    resolution_target = _target_field(
        _("délai de traitement"),
        _("Pour les demandes sans démarche ou dont la démarche n'en fixe pas. Vide : aucun."),
    )
    resolution_unit = _unit_field()

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service municipal")
        verbose_name_plural = _("services municipaux")

    def __str__(self) -> str:
        return self.name


class RequestType(models.Model):
    """A démarche: what it is, which service handles it and which fields it asks for."""

    Visibility = vocabulary.Visibility

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("description pour l'usager"), blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="request_types", verbose_name=_("service")
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_confidential = models.BooleanField(
        _("confidentielle"),
        default=False,
        help_text=_(
            "Visible uniquement des agents du service ; chaque consultation est journalisée "
            "(aide sociale, CCAS)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    keywords = models.TextField(
        _("mots de recherche"),
        blank=True,
        help_text=_(
            "Les mots qu'un usager pourrait taper pour trouver cette démarche, y compris ceux de "
            "tous les jours (« poubelle », « trou dans la route ») : ils comptent plus que le nom "
            "et la description. Accents et majuscules sont ignorés."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # A public-space report (pothole, street light…): a new one of this démarche within the
    # radius and the window of an open one is flagged as a probable duplicate, and the
    # citizen is shown the open ones nearby before filing (``routing.nearby``). Both empty:
    # not a public-space démarche, nothing is compared nor shown.
    nearby_radius_m = models.PositiveIntegerField(
        _("rayon des signalements proches (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NEARBY_RADIUS_M)],
        help_text=_(
            "Signalement sur l'espace public (nid-de-poule, lampadaire…) : un nouveau "
            "signalement à moins de cette distance d'un signalement ouvert de la même démarche "
            "est signalé comme doublon probable, et l'usager voit ceux-ci avant d'envoyer le "
            "sien. Vide : démarche qui n'est pas un signalement sur l'espace public."
        ),
    )
    nearby_window_days = models.PositiveSmallIntegerField(
        _("période des signalements proches (jours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NEARBY_WINDOW_DAYS)],
        help_text=_(
            "Seuls les signalements ouverts déposés depuis ce nombre de jours sont comparés. "
            "À remplir avec le rayon, ou à laisser vide avec lui."
        ),
    )
    # Service-level targets (parvis.sla counts them in the service's working time); empty:
    # the service's own targets apply.
    first_response_target = _target_field(
        _("délai de première réponse"), _("Vide : celui du service.")
    )
    first_response_unit = _unit_field()
    resolution_target = _target_field(_("délai de traitement"), _("Vide : celui du service."))
    resolution_unit = _unit_field()
    legal_deadline = models.CharField(
        _("délai légal"),
        max_length=24,
        choices=LegalDeadline.choices,
        default=LegalDeadline.NONE,
        blank=True,
        help_text=_(
            "Délai fixé par la loi, compté en jours calendaires depuis le dépôt, affiché à part "
            "du délai de service."
        ),
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["service__position", "position", "name"]
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public_space_report(self) -> bool:
        """Whether reports of this démarche are compared by place (both settings given)."""
        return bool(self.nearby_radius_m and self.nearby_window_days)

    def clean(self) -> None:
        """The radius and the window go together; a confidential démarche shows nothing nearby."""
        radius, window = self.nearby_radius_m is not None, self.nearby_window_days is not None
        if radius != window:
            missing = "nearby_window_days" if radius else "nearby_radius_m"
            raise ValidationError(
                {missing: _("Indiquez le rayon et la période ensemble, ou laissez-les vides.")}
            )
        if radius and self.is_confidential:
            raise ValidationError(
                {
                    "nearby_radius_m": _(
                        "Une démarche confidentielle ne peut pas montrer ses signalements "
                        "aux autres usagers : laissez le rayon et la période vides."
                    )
                }
            )


class FormField(models.Model):
    """One field of a démarche's form as an administrator is writing it: the draft.

    Edited in the back office's form builder; citizens and agents fill in the published
    ``FormVersion``, never these rows (docs/decisions/0027).
    """

    Kind = vocabulary.FieldKind

    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, related_name="fields", verbose_name=_("démarche")
    )
    key = models.SlugField(
        _("clé"),
        max_length=60,
        help_text=_("Identifiant technique, en minuscules (ex. : date_naissance)."),
    )
    label = models.CharField(_("libellé"), max_length=160)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("obligatoire"), default=False)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    choices = models.TextField(
        _("choix"),
        blank=True,
        help_text=_("Pour un champ « choix » : un choix par ligne, sous la forme valeur|libellé."),
    )
    integer = models.BooleanField(
        _("nombre entier"),
        default=False,
        help_text=_("Pour un champ « nombre » : refuser les décimales (1,5)."),
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    shown_when_field = models.SlugField(
        _("affiché si le champ"),
        max_length=60,
        blank=True,
        help_text=_("Clé d'un champ « choix » placé avant celui-ci ; vide : toujours affiché."),
    )
    shown_when_values = models.CharField(
        _("vaut"),
        max_length=300,
        blank=True,
        help_text=_("Une ou plusieurs valeurs de ce choix, séparées par des virgules."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("champ du formulaire")
        verbose_name_plural = _("champs du formulaire")
        constraints = [
            models.UniqueConstraint(
                fields=["request_type", "key"], name="unique_field_key_per_type"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def shown_values(self) -> frozenset[str]:
        """The values of ``shown_when_field`` for which this field is asked."""
        return frozenset(v.strip() for v in self.shown_when_values.split(",") if v.strip())

    def clean(self) -> None:
        """Number limits only on a number; a choice has choices; a condition names a field
        and its values."""
        errors: dict[str, object] = {}
        if self.kind != self.Kind.NUMBER:
            for name in ("integer", "min_value", "max_value"):
                if getattr(self, name) not in (None, False):
                    errors[name] = _(
                        "Seul un champ « nombre » a un minimum, un maximum ou des entiers."
                    )
        elif (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("Le maximum est plus petit que le minimum.")
        if self.kind == self.Kind.CHOICE and not self.choice_pairs():
            errors["choices"] = _("Indiquez au moins un choix, un par ligne.")
        if self.shown_when_field and not self.shown_values():
            errors["shown_when_values"] = _(
                "Indiquez la ou les valeurs qui font afficher ce champ."
            )
        if self.shown_values() and not self.shown_when_field:
            errors["shown_when_field"] = _("Indiquez le champ dont dépend l'affichage.")
        if errors:
            raise ValidationError(errors)

    def choice_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.choices.splitlines():
            if line.strip():
                value, _sep, label = line.partition("|")
                pairs.append((value.strip(), (label or value).strip()))
        return pairs


class FormVersion(models.Model):
    """One published state of a démarche's form, frozen once written.

    ``fields``: the field definitions as they were published, a list of
    ``catalog.form_specs.FieldSpec.as_data()``. New tickets are filed under the démarche's
    latest version and keep it (``Ticket.form_version``): renaming or removing a field later
    never rewrites what an older ticket shows.
    """

    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.CASCADE,
        related_name="form_versions",
        verbose_name=_("démarche"),
    )
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("champs"), default=list)
    created_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Written by load-catalog from the shipped defaults (or the migration that made version 1).
    is_default = models.BooleanField(_("formulaire livré avec Parvis"), default=False)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["request_type", "-number"]
        verbose_name = _("version de formulaire")
        verbose_name_plural = _("versions de formulaire")
        constraints = [
            models.UniqueConstraint(fields=["request_type", "number"], name="unique_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.request_type} v{self.number}"
