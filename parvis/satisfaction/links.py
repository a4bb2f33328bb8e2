"""The citizen's one-time link to rate a closed ticket.

The link names the ticket by its id and carries an HMAC of it under ``SECRET_KEY``: nothing
secret is stored, and a link cannot be made up for another ticket. What makes it one-time
is the survey itself: once answered, the page thanks and takes no second answer.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "parvis.satisfaction.links.survey"


def survey_signature(ticket_id: int) -> str:
    return salted_hmac(_SALT, str(ticket_id), algorithm="sha256").hexdigest()[:32]


def is_survey_signature(ticket_id: int, signature: str) -> bool:
    return constant_time_compare(signature, survey_signature(ticket_id))


def survey_url(ticket_id: int) -> str:
    path = reverse("portal:survey", args=[ticket_id, survey_signature(ticket_id)])
    return settings.BASE_URL + path
