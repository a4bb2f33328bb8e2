"""Business calendars (opening hours, closures), tickets' deadlines and their escalations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import Service
from parvis.core.cache_versions import VersionedQuerySet
from parvis.tickets.models import Ticket


class CalendarSettings(models.Model):
    """The commune's calendar settings: one row (``pk`` 1), saved by an administrator; until
    then its defaults apply."""

    alsace_moselle = models.BooleanField(
        _("jours fériés d'Alsace-Moselle"),
        default=False,
        help_text=_(
            "Le Vendredi saint et le 26 décembre sont aussi fériés (Bas-Rhin, Haut-Rhin, Moselle)."
        ),
    )
    warning_lead_hours = models.PositiveSmallIntegerField(
        _("avertissement avant l'échéance (heures ouvrées)"),
        default=4,
        validators=[MaxValueValidator(200)],
        help_text=_(
            "L'agent chargé de la demande est prévenu ce nombre d'heures ouvrées avant "
            "l'échéance ; la demande est alors « bientôt due ». 0 : aucun avertissement."
        ),
    )

    objects = VersionedQuerySet.as_manager()  # kept per process (sla.selectors.work_calendar)

    class Meta:
        verbose_name = _("réglages du calendrier")
        verbose_name_plural = _("réglages du calendrier")

    def __str__(self) -> str:
        return str(_("Réglages du calendrier"))


class OpeningPeriod(models.Model):
    """A period a service works on a weekday (e.g. Monday 8:30–12:00).

    A service without periods of its own has the commune's (those without a service); a
    commune without any has Monday to Friday 8:30–12:00 and 13:30–17:30.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_periods",
        verbose_name=_("service"),
        help_text=_("Vide : les horaires de la mairie, pour tout service sans horaires propres."),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    objects = VersionedQuerySet.as_manager()  # kept per process (sla.selectors.work_calendar)

    class Meta:
        ordering = ["service", "weekday", "opens"]
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_period_forward"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("La fermeture doit suivre l'ouverture.")})


class Closure(models.Model):
    """A day the mairie (or one service) is closed beyond public holidays: a "pont"."""

    day = models.DateField(_("jour"))
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("service"),
        help_text=_("Vide : toute la mairie est fermée."),
    )
    reason = models.CharField(_("motif"), max_length=120, blank=True)

    objects = VersionedQuerySet.as_manager()  # kept per process (sla.selectors.work_calendar)

    class Meta:
        ordering = ["day"]
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")
        constraints = [
            # Two conditions: a NULL service would not count as equal in one constraint.
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(service__isnull=True), name="one_closure_per_day"
            ),
            models.UniqueConstraint(
                fields=["day", "service"],
                condition=models.Q(service__isnull=False),
                name="one_service_closure_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class Target(models.TextChoices):
    """Which of a ticket's service-level targets."""

    FIRST_RESPONSE = "first_response", _("première réponse")
    RESOLUTION = "resolution", _("traitement")


class TicketDeadline(models.Model):
    """Where a ticket's deadlines stand, kept by the ``sla_deadlines`` subscriber.

    ``due_at`` is the next moment a target falls due (the first response until it is given,
    then the resolution), ``warn_at`` when it is "bientôt dû": the queue sorts and filters
    on both. Both are empty when nothing is due: no target, the clock paused while the
    ticket waits for the citizen (``paused_left`` keeps the working time left), or the
    ticket resolved.
    """

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="deadline"
    )
    first_response_due_at = models.DateTimeField(_("première réponse due le"), null=True)
    first_response_at = models.DateTimeField(_("première réponse le"), null=True)
    resolution_due_at = models.DateTimeField(_("traitement dû le"), null=True)
    due_target = models.CharField(max_length=16, choices=Target.choices, blank=True)
    due_at = models.DateTimeField(_("échéance"), null=True)
    warn_at = models.DateTimeField(null=True)
    paused_left = models.DurationField(_("reste à l'arrêt"), null=True)
    legal_deadline = models.CharField(max_length=24, blank=True)
    legal_due_on = models.DateField(_("délai légal"), null=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéances")
        indexes = [
            # The escalation job and the queue's "due soon" / "overdue" filters.
            models.Index(fields=["due_at"], name="deadline_due_idx"),
            models.Index(fields=["warn_at"], name="deadline_warn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.due_at}"


class Escalation(models.Model):
    """One escalation sent: a warning before a target's due time, or a notice once overdue.

    Written by the escalation job in the transaction of its event; the unique constraint
    is what makes each one go once, however many workers run the job at the same moment.
    """

    class Level(models.TextChoices):
        WARNING = "warning", _("avertissement avant échéance")
        OVERDUE = "overdue", _("retard signalé au responsable")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(max_length=16, choices=Target.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relance d'échéance")
        verbose_name_plural = _("relances d'échéance")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "target", "level"], name="one_escalation_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.level}"


class DigestSubscription(models.Model):
    """An agent who asked for the daily digest of their due and overdue tickets."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="digest_subscription"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("abonnement au récapitulatif quotidien")
        verbose_name_plural = _("abonnements au récapitulatif quotidien")

    def __str__(self) -> str:
        return str(self.user_id)


class DigestSent(models.Model):
    """One digest written to an agent for one day: the unique pair makes it go once, however
    many workers run the job."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    tickets = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("récapitulatif envoyé")
        verbose_name_plural = _("récapitulatifs envoyés")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
