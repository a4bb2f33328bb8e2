"""How many requests one client, or one email address, may file in a while.

The public form was used to send twenty acknowledgements in a second to someone else's
mailbox (issue 7). Two limits, counted in the shared cache so that every process and machine
counts together (``parvis.core.ratelimit``, ADR 0009):

- per **client** (the device's address): a web concern, checked by the portal's form;
- per **email address**: an intake concern, checked by ``intake_submit`` for every channel
  where a requester files for themselves — the portal, and the email and Open311 channels to
  come. A request an agent types in (phone, counter, their API key) is not counted: the agent
  is known and answers for it, and refusing them would stop the mairie's own work.

A refusal is ``SubmissionThrottled``, a French ``ValidationError`` that the interfaces show
as a 429 with the form and what was typed in it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.core.ratelimit import address_key, attempt_allowed


class SubmissionThrottled(ValidationError):
    """Too many requests from this client or with this address: try again later."""


def client_submission_check(client: str) -> None:
    """Count a request from this client; SubmissionThrottled beyond the limit."""
    window = settings.PARVIS_SUBMIT_CLIENT_WINDOW
    if not attempt_allowed(
        "submit-client", client, limit=settings.PARVIS_SUBMIT_CLIENT_LIMIT, window=window
    ):
        raise SubmissionThrottled(
            _(
                "Beaucoup de demandes ont été envoyées depuis votre connexion en peu de temps. "
                "Votre saisie est conservée ci-dessous : envoyez-la à nouveau dans "
                "%(minutes)s minutes."
            )
            % {"minutes": _minutes(window)},
            code="throttled",
        )


def email_submission_check(email: str, *, actor: User | None) -> None:
    """Count a request filed with this address; SubmissionThrottled beyond the limit."""
    if not email or (actor is not None and not actor.is_system):
        return
    window = settings.PARVIS_SUBMIT_EMAIL_WINDOW
    if not attempt_allowed(
        "submit-email",
        address_key(email),
        limit=settings.PARVIS_SUBMIT_EMAIL_LIMIT,
        window=window,
    ):
        raise SubmissionThrottled(
            {
                "email": _(
                    "Plusieurs demandes viennent déjà d'être déposées avec cette adresse. "
                    "Votre saisie est conservée : envoyez-la à nouveau dans %(minutes)s "
                    "minutes, ou appelez la mairie."
                )
                % {"minutes": _minutes(window)}
            },
            code="throttled",
        )


def _minutes(window: int) -> int:
    return max(1, window // 60)
