"""The invitation to rate a ticket, as a subscriber of its closing.

When a ticket is closed, its citizen is invited once — one survey per ticket, so a ticket
reopened and closed again is not rated twice — by a mail with a one-time link
(``links``). Nothing is written when the person gave no email on the ticket, nor for a
ticket merged into another (it was closed by the merge; the other is rated).
"""

from parvis.notifications.actions import mail_write
from parvis.notifications.models import Template
from parvis.satisfaction.actions import survey_invite
from parvis.tickets.models import Event, Status
from parvis.tickets.outbox import subscriber


def _closes(event: Event) -> bool:
    return (event.data or {}).get("to") == Status.CLOSED


@subscriber("satisfaction_invite", Event.Kind.STATUS, wants=_closes)
def satisfaction_invite(event: Event) -> None:
    ticket = event.ticket
    if not ticket.requester_email or ticket.merged_into_id is not None:
        return  # a merged ticket goes on in the other one: that one will be rated
    if survey_invite(ticket=ticket) is not None:
        mail_write(ticket=ticket, event=event, template=Template.SATISFACTION)
