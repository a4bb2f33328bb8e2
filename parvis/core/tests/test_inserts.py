"""``insert`` writes new rows as ``save()`` would, with a statement built once per model."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models.signals import post_save
from django.forms.models import model_to_dict

from parvis.accounts.models import Requester
from parvis.catalog.models import Service
from parvis.core.inserts import _fields, insert
from parvis.tickets.models import Event, Priority, Ticket

pytestmark = pytest.mark.django_db


def _ticket(requester: Requester, reference: str) -> Ticket:
    return Ticket(
        reference=reference,
        service=Service.objects.get(slug="urbanisme"),
        requester=requester,
        subject="Une clôture",
        description="Puis-je poser une clôture de 1,80 m ?",
        field_values={"parcel": "AB 12", "height": 1.8, "nested": {"a": [1, 2]}},
        location_lat=47.1,
        location_lon=-1.5,
        priority=Priority.HIGH,
        channel="api",
    )


def _stored(ticket: Ticket) -> dict[str, Any]:
    row = model_to_dict(Ticket.objects.get(pk=ticket.pk))
    fresh = Ticket.objects.get(pk=ticket.pk)
    row |= {"created_at": fresh.created_at, "updated_at": fresh.updated_at}
    return {k: v for k, v in row.items() if k not in {"id", "reference", "tracking_token"}}


def test_a_ticket_inserted_reads_back_as_one_saved(catalog: None) -> None:
    requester = Requester.objects.create(name="Camille Martin", email="camille@example.fr")
    saved = _ticket(requester, "2026-90001")
    saved.save()
    inserted = _ticket(requester, "2026-90002")
    inserted.created_at, inserted.updated_at = saved.created_at, saved.updated_at

    insert([inserted])

    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert _stored(inserted) == _stored(saved)
    assert Ticket.objects.get(pk=inserted.pk).tracking_token == inserted.tracking_token


def test_auto_now_fields_are_set_as_by_save(db: None) -> None:
    requester = Requester(name="Dominique Roux", email="dominique@example.fr")
    insert([requester])
    stored = Requester.objects.get(pk=requester.pk)
    assert stored.created_at is not None and stored.updated_at is not None
    assert stored.created_at == requester.created_at


def test_several_rows_in_one_statement_get_their_keys_in_order(
    catalog: None, make_ticket: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    events = [
        Event(ticket=ticket, kind=Event.Kind.NOTE, data={"n": n}, created_at=ticket.created_at)
        for n in range(3)
    ]
    with django_assert_num_queries(1):
        insert(events)
    assert [Event.objects.get(pk=e.pk).data for e in events] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_it_sends_the_save_signals(db: None) -> None:
    received: list[tuple[object, bool]] = []

    def receiver(sender: type, instance: object, created: bool, **kwargs: Any) -> None:
        received.append((instance, created))

    post_save.connect(receiver, sender=Requester)
    try:
        requester = Requester(name="Alex Petit", email="alex@example.fr")
        insert([requester])
    finally:
        post_save.disconnect(receiver, sender=Requester)
    assert received == [(requester, True)]


def test_it_refuses_models_it_cannot_write() -> None:
    meta = SimpleNamespace(parents={"parent": "link"}, concrete_fields=[])
    inherited = type("Inherited", (), {"_meta": meta})  # multi-table inheritance
    with pytest.raises(TypeError, match="cannot write Inherited"):
        _fields(inherited)
