"""The catalogue's fixed vocabularies: a démarche's visibility and a form field's kind.

They live outside ``models.py`` so that the data-file reader (``parvis.catalog.data``) can
check the default catalogue against them without Django's app registry: the benchmark's
load client reads the catalogue in a process that never sets Django up.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The limits of a public-space démarche's nearby settings: beyond them "nearby" means nothing
# for a street report, and the bounding box of the query reads too many rows.
MAX_NEARBY_RADIUS_M = 1000
MAX_NEARBY_WINDOW_DAYS = 365


class Visibility(models.TextChoices):
    """Who may file a démarche: citizens on the portal, or staff only."""

    PUBLIC = "public", _("publique (portail usagers)")
    INTERNAL = "internal", _("interne (personnel seulement)")


class FieldKind(models.TextChoices):
    """What a form field asks for, and so how its value is validated (``catalog.forms``)."""

    TEXT = "text", _("texte court")
    TEXTAREA = "textarea", _("texte long")
    DATE = "date", _("date")
    NUMBER = "number", _("nombre")
    CHOICE = "choice", _("choix dans une liste")
    EMAIL = "email", _("courriel")
    PHONE = "phone", _("téléphone")
    FILE = "file", _("fichier")
    LOCATION = "location", _("lieu (adresse)")


class TargetUnit(models.TextChoices):
    """How a service-level target is counted: in working hours or working days (``parvis.sla``)."""

    WORKING_HOURS = "working_hours", _("heures ouvrées")
    WORKING_DAYS = "working_days", _("jours ouvrés")


class LegalDeadline(models.TextChoices):
    """A deadline the law sets for a démarche, counted in calendar time, apart from the SLA.

    Each code names its text: the administration answers within it, and its silence means
    something (a tacit decision, a refusal) the agent must know.
    """

    NONE = "", _("aucun")
    URBANISM_ONE_MONTH = (
        "urbanism_one_month",
        _("un mois pour décider d'une déclaration préalable (code de l'urbanisme, art. R423-23)"),
    )
    CADA_ONE_MONTH = (
        "cada_one_month",
        _("un mois pour communiquer un document administratif (CRPA, art. R311-13)"),
    )
