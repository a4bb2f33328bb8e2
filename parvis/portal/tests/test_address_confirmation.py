"""An address is confirmed when someone who followed a link from our mail to it acts on the page.

Following the link alone is not enough (mail scanners open links); the tracking page reached
from the screen shown after filing, without the mail's proof, confirms nothing.
"""

import re
from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.models import Requester
from parvis.tickets import actions

pytestmark = pytest.mark.django_db


def _mailed_link(mailoutbox: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/suivi/\S+)", mailoutbox[-1].body)
    assert found, "the mail carries the tracking link"
    return found.group(1)


@pytest.fixture
def linked(make_ticket: Any, mailoutbox: Any) -> tuple[Any, str]:
    """A request and the tracking link of the mail it got (asked through the look-up)."""
    ticket = make_ticket("nid-de-poule")
    actions.ticket_send_tracking_link(ticket=ticket)
    from parvis.conftest import run_worker

    run_worker()
    return ticket, _mailed_link(mailoutbox)


def _confirmed() -> bool:
    return Requester.objects.get(email="camille@example.fr").has_confirmed("camille@example.fr")


def test_the_mailed_link_is_taken_out_of_the_address_bar(client, linked):
    ticket, link = linked
    assert "?courriel=" in link
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track", args=[ticket.tracking_token])


def test_opening_the_link_asks_and_the_button_confirms(client, linked):
    ticket, link = linked
    page = client.get(link, follow=True).content.decode()
    assert "Oui, c'est mon adresse" in page
    assert not _confirmed(), "a scanner opening the link confirms nothing"
    response = client.post(reverse("portal:confirm_address", args=[ticket.tracking_token]))
    assert response.status_code == 302
    assert _confirmed()
    page = client.get(response["Location"]).content.decode()
    assert "votre adresse est confirmée" in page
    assert "Oui, c'est mon adresse" not in page


def test_a_message_written_after_following_the_link_confirms(client, linked):
    ticket, link = linked
    client.get(link)
    client.post(
        reverse("portal:add_message", args=[ticket.tracking_token]), {"message-body": "Merci."}
    )
    assert _confirmed()


def test_the_page_without_the_mails_proof_confirms_nothing(client, linked):
    ticket, _link = linked
    url = reverse("portal:track", args=[ticket.tracking_token])
    assert "Oui, c'est mon adresse" not in client.get(url).content.decode()
    client.post(reverse("portal:confirm_address", args=[ticket.tracking_token]))
    client.get(url + "?courriel=" + "0" * 32, follow=True)  # a forged proof
    client.post(reverse("portal:confirm_address", args=[ticket.tracking_token]))
    assert not _confirmed()


def test_a_proof_for_one_request_does_not_confirm_from_another_page(client, linked, make_ticket):
    _ticket, link = linked
    other = make_ticket("nid-de-poule", requester=None)  # same address, another request
    client.get(link)
    client.post(reverse("portal:confirm_address", args=[other.tracking_token]))
    assert not _confirmed()


def test_once_confirmed_the_acknowledgements_say_everything(
    client, linked, make_ticket, mailoutbox
):
    ticket, link = linked
    client.get(link)
    client.post(reverse("portal:confirm_address", args=[ticket.tracking_token]))
    make_ticket("nid-de-poule", subject="Trou devant l'école")
    assert "« Trou devant l'école »" in mailoutbox[-1].body
