"""Following an open public-space report instead of filing it again: the one path for it.

A citizen about to report a pothole is shown the open reports of the same démarche nearby
(the portal); rather than filing a twelfth ticket, they follow one and receive its updates.
Like a new request, this counts against the address's limit (``throttling``: the form must
not become a way to send the mairie's mail to someone else's mailbox), identifies the
requester through the one find-or-create path, then records them as a follower of the
ticket (``tickets.actions.ticket_follow``: its subscribers send the updates).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parvis.accounts.actions import requester_find_or_create
from parvis.intake.throttling import email_submission_check
from parvis.tickets.actions import ticket_follow
from parvis.tickets.models import OPEN_STATUSES, Ticket, TicketFollower
from parvis.tickets.structures import RequesterData


def intake_follow_nearby_report(*, ticket_id: int, requester: RequesterData) -> Ticket:
    """Make the citizen a follower of this open public-space report; a French ValidationError
    if it can no longer be followed (closed meanwhile, or not such a report).

    Too many requests with one address: ``SubmissionThrottled``, as for a new request.
    """
    email_submission_check(requester.email, actor=None)
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_related("request_type")
            .filter(
                pk=ticket_id,
                status__in=OPEN_STATUSES,
                is_confidential=False,
                request_type__nearby_radius_m__isnull=False,
            )
            .first()
        )
        if ticket is None:
            raise ValidationError(
                _(
                    "Ce signalement ne peut plus être suivi : il vient d'être traité ou clos. "
                    "Si le problème demeure, déposez un nouveau signalement."
                ),
                code="not_followable",
            )
        person, _created = requester_find_or_create(
            name=requester.name, email=requester.email, phone=requester.phone
        )
        ticket_follow(
            ticket=ticket,
            requester=person,
            actor=None,
            reason=TicketFollower.Reason.NEARBY_REPORT,
            email=requester.email,
        )
    return ticket
