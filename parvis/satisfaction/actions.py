"""Writes of satisfaction surveys: the invitation (once per ticket) and the answer (once)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.satisfaction.models import RATINGS, Survey
from parvis.tickets.models import Ticket

COMMENT_MAX_LENGTH = 2000


@transaction.atomic(savepoint=False)  # in the dispatcher's savepoint, as ``mails_write``
def survey_invite(*, ticket: Ticket) -> Survey | None:
    """The ticket's survey, new; None if it was invited before (one invitation per ticket)."""
    survey, created = Survey.objects.get_or_create(
        ticket=ticket,
        defaults={"service_id": ticket.service_id, "request_type_id": ticket.request_type_id},
    )
    return survey if created else None


@transaction.atomic
def survey_answer(*, survey: Survey, rating: int, comment: str = "") -> Survey:
    """Record the citizen's rating; a French ValidationError if it was given already or is
    out of range. The row is re-read under lock: two submits at once record one answer."""
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if current.is_answered:
        raise ValidationError(_("Vous avez déjà donné votre avis sur cette demande. Merci !"))
    if rating not in RATINGS:
        raise ValidationError(_("Choisissez une note de 1 à 5."))
    current.rating = rating
    current.comment = comment.strip()[:COMMENT_MAX_LENGTH]
    current.answered_at = timezone.now()
    current.save(update_fields=["rating", "comment", "answered_at"])
    return current
