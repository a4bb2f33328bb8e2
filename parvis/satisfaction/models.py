"""What citizens think of how their request was handled (CSAT: 1 to 5, and a comment)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.catalog.models import RequestType, Service
from parvis.tickets.models import Ticket

RATINGS = range(1, 6)


class Survey(models.Model):
    """The one invitation to rate a closed ticket, and the citizen's answer once given.

    One per ticket, whatever happens to it afterwards (reopened and closed again: no second
    invitation). The service and démarche are those of the ticket when it was closed, so
    that the results of a service stay its own if the ticket is moved later. A rating is
    recorded only by the citizen's explicit submit: opening the link records nothing.
    """

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="survey", verbose_name=_("demande")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("démarche"),
    )
    invited_at = models.DateTimeField(_("invitation le"), default=timezone.now)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("avis de l'usager")
        verbose_name_plural = _("avis des usagers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, rating__isnull=True)
                | models.Q(answered_at__isnull=False, rating__isnull=False),
                name="survey_answered_with_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating or '-'}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
