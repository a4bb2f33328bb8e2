"""A ticket's public updates reach its requester and each of its followers, once each."""

from typing import Any

import pytest

from parvis.accounts.actions import requester_find_or_create
from parvis.conftest import run_worker
from parvis.notifications.envelope import reply_address
from parvis.notifications.models import Mail
from parvis.tickets.actions import (
    ticket_change_status,
    ticket_follow,
    ticket_merge,
    ticket_reply,
    ticket_send_tracking_link,
)
from parvis.tickets.models import Status, Ticket, TicketFollower
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

Reason = TicketFollower.Reason


def _follower(ticket: Ticket, name: str, email: str) -> TicketFollower:
    requester, _created = requester_find_or_create(name=name, email=email)
    follower = ticket_follow(
        ticket=ticket, requester=requester, actor=None, reason=Reason.NEARBY_REPORT
    )
    assert follower is not None
    return follower


def test_a_reply_goes_to_the_requester_and_to_each_follower_once(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    _follower(pothole, "Léa Petit", "lea@example.fr")
    _follower(pothole, "Marc Roux", "marc@example.fr")
    ticket_reply(ticket=pothole, actor=agent, body="Une équipe passe jeudi.")
    run_worker()
    run_worker()  # a second run writes nothing more
    assert sorted(m.to[0] for m in mailoutbox) == [
        "camille@example.fr",
        "lea@example.fr",
        "marc@example.fr",
    ]
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert "Une équipe passe jeudi." in by_address["camille@example.fr"]
    # Neighbours who followed the report read that it was answered, not the answer.
    assert "Une équipe passe jeudi." not in by_address["lea@example.fr"]
    assert "a répondu à la personne qui a déposé" in by_address["marc@example.fr"]


def test_a_follower_s_mail_names_them_and_never_opens_the_requester_s_page(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    _follower(pothole, "Léa Petit", "lea@example.fr")
    ticket_reply(ticket=pothole, actor=agent, body="Une équipe passe jeudi.")
    run_worker()
    to_lea = next(m for m in mailoutbox if m.to == ["lea@example.fr"])
    assert "Bonjour Léa Petit" in to_lea.body
    assert "Camille" not in to_lea.body
    assert pothole.tracking_token not in to_lea.body
    assert "que vous suivez" in to_lea.subject
    assert "répondez à ce courriel" in to_lea.body


def test_a_follower_s_answer_comes_back_to_the_ticket_in_their_own_thread(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    _follower(pothole, "Léa Petit", "lea@example.fr")
    ticket_reply(ticket=pothole, actor=agent, body="Première réponse.")
    run_worker()
    ticket_reply(ticket=pothole, actor=agent, body="Deuxième réponse.")
    run_worker()
    to_lea = [m for m in mailoutbox if m.to == ["lea@example.fr"]]
    to_camille = [m for m in mailoutbox if m.to == ["camille@example.fr"]]
    assert len(to_lea) == 2 and len(to_camille) == 2
    sender = to_lea[0].from_email
    assert to_lea[1].extra_headers["Reply-To"] == reply_address(
        pothole.reference, sender.rpartition("<")[2].strip(">")
    )
    # Léa's second mail answers her first, not the requester's.
    assert to_lea[1].extra_headers["In-Reply-To"] == to_lea[0].extra_headers["Message-ID"]
    camille_ids = {m.extra_headers["Message-ID"] for m in to_camille}
    assert not camille_ids & set(to_lea[1].extra_headers["References"].split())


def test_the_resolution_notice_reaches_followers_too(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    _follower(pothole, "Léa Petit", "lea@example.fr")
    ticket_change_status(ticket=pothole, actor=agent, status=Status.RESOLVED)
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["camille@example.fr", "lea@example.fr"]


def test_a_follower_with_the_requester_s_address_gets_one_mail_only(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    requester, _created = requester_find_or_create(name="Autre", email="autre@example.fr")
    ticket_follow(
        ticket=pothole,
        requester=requester,
        actor=agent,
        reason=Reason.ADDED_BY_AGENT,
        email="camille@example.fr",
    )
    ticket_reply(ticket=pothole, actor=agent, body="Réponse.")
    run_worker()
    assert [m.to[0] for m in mailoutbox] == ["camille@example.fr"]


def test_the_tracking_link_and_updates_before_following_are_the_requester_s_only(
    pothole: Ticket, agent: Any, mailoutbox: list[Any]
) -> None:
    ticket_reply(ticket=pothole, actor=agent, body="Avant.")
    _follower(pothole, "Léa Petit", "lea@example.fr")
    ticket_send_tracking_link(ticket=pothole)
    run_worker()
    assert [m.to[0] for m in mailoutbox] == ["camille@example.fr", "camille@example.fr"]


def test_after_a_merge_the_source_s_requester_is_told_then_receives_the_target_s_updates(
    pothole: Ticket, agent: Any, make_ticket: Any, mailoutbox: list[Any]
) -> None:
    source = make_ticket(
        "nid-de-poule",
        subject="Nid-de-poule au 14 rue des Lilas",
        requester=RequesterData("Jean Dupont", "jean@example.fr"),
    )
    mailoutbox.clear()
    ticket_merge(source=source, target=pothole, actor=agent)
    run_worker()
    (notice,) = mailoutbox
    assert notice.to == ["jean@example.fr"]
    assert pothole.reference in notice.body and source.tracking_token in notice.body
    mailoutbox.clear()
    ticket_reply(ticket=pothole, actor=agent, body="Rebouché ce matin.")
    run_worker()
    to_jean = next(m for m in mailoutbox if m.to == ["jean@example.fr"])
    assert "Rebouché ce matin." in to_jean.body
    assert source.tracking_token in to_jean.body, "his own page, not the target's"
    assert pothole.tracking_token not in to_jean.body
    assert Mail.objects.filter(to="jean@example.fr", follower__isnull=False).count() == 1
