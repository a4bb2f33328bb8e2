"""Same person, same matter, any channel: the new ticket says which one it repeats."""

import json
from pathlib import Path
from typing import Any

import pytest

from parvis.intake.pipeline import intake_submit
from parvis.routing.duplicates import PROBABLE, is_certain, pair_score
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Channel, Event, Status, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.django_db

CAMILLE = RequesterData("Camille Martin", "camille@example.fr", "06 12 34 56 78")


def file(
    channel: Channel, subject: str, description: str, requester: RequesterData = CAMILLE
) -> Ticket:
    return intake_submit(
        incoming=IncomingRequest(
            channel=channel, requester=requester, subject=subject, description=description
        ),
        actor=None,
        rate_limited=False,
    ).ticket


def test_an_email_then_a_phone_call_about_the_same_lamp_is_flagged(catalog: None) -> None:
    first = file(
        Channel.EMAIL,
        "Lampadaire éteint rue des Lilas",
        "Bonjour, le lampadaire devant le 14 rue des Lilas ne s'allume plus depuis lundi.",
    )
    second = file(
        Channel.PHONE,
        "Appel de Mme Martin",
        "Mme Martin rappelle : lampadaire du 14 rue des Lilas toujours éteint, pas de réponse.",
        RequesterData("Camille Martin", "", "06 12 34 56 78"),  # found by phone
    )

    flag = second.events.get(kind=Event.Kind.SAME_MATTER)
    assert flag.data["ticket_id"] == first.pk and flag.data["reference"] == first.reference
    assert flag.data["score"] >= 0.35
    sentence = describe(flag, Audience.AGENT, names_for([flag], Audience.AGENT))
    assert first.reference in sentence
    assert not first.events.filter(kind=Event.Kind.SAME_MATTER).exists()


def test_another_matter_of_the_same_person_is_not_flagged(catalog: None) -> None:
    file(Channel.EMAIL, "Lampadaire éteint", "Le lampadaire du 14 rue des Lilas est éteint.")
    other = file(
        Channel.WEB,
        "Inscription à la cantine",
        "Je souhaite inscrire ma fille Léa à la cantine pour la rentrée de janvier.",
    )
    assert not other.events.filter(kind=Event.Kind.SAME_MATTER).exists()


def test_a_closed_ticket_or_another_persons_is_not_compared(catalog: None) -> None:
    text = "Le lampadaire devant le 14 rue des Lilas ne s'allume plus depuis lundi."
    closed = file(Channel.EMAIL, "Lampadaire éteint", text)
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    again = file(Channel.EMAIL, "Lampadaire éteint", text)
    neighbour = file(
        Channel.EMAIL, "Lampadaire éteint", text, RequesterData("Paul Girard", "paul@example.fr")
    )

    assert not again.events.filter(kind=Event.Kind.SAME_MATTER).exists()
    assert not neighbour.events.filter(kind=Event.Kind.SAME_MATTER).exists()


def test_the_same_words_under_two_demarches_are_two_matters(make_ticket: Any) -> None:
    first = make_ticket("acte-de-naissance", subject="Acte pour mon fils", requester=CAMILLE)
    second = make_ticket("acte-de-deces", subject="Acte pour mon fils", requester=CAMILLE)
    assert first.request_type != second.request_type
    flag = second.events.filter(kind=Event.Kind.SAME_MATTER).first()
    assert flag is None or flag.data["score"] < 0.6


PAIRS = Path(__file__).resolve().parents[1] / "corpus" / "duplicate_pairs.jsonl"


def _measure(threshold: float, *, certain: bool = False) -> tuple[float, float]:
    """(precision, recall) of "same matter" at ``threshold`` (or of "certain") on the pairs."""
    ids: dict[str, int] = {}
    hits = false_alarms = misses = 0
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        first, second = pair["first"], pair["second"]
        types = [
            ids.setdefault(side["request_type"], len(ids) + 1) if side["request_type"] else None
            for side in (first, second)
        ]
        score = pair_score(first["text"], second["text"], types[0], types[1])
        found = is_certain(score, first["text"], second["text"]) if certain else score >= threshold
        same = pair["label"] == "same"
        hits += found and same
        false_alarms += found and not same
        misses += same and not found
    return hits / max(hits + false_alarms, 1), hits / max(hits + misses, 1)


def test_precision_and_recall_on_the_labelled_pairs() -> None:
    """Measured on 309 pairs of one person's requests (151 the same matter, 158 not, 119 of
    those on the same service or démarche): docs/benchmarks.md has the figures."""
    precision, recall = _measure(PROBABLE)
    assert precision >= 0.65 and recall >= 0.70, (precision, recall)
    # What is certain is added to the other ticket without an agent: never wrong here.
    certain_precision, certain_recall = _measure(PROBABLE, certain=True)
    assert certain_precision == 1.0 and certain_recall >= 0.1, (certain_precision, certain_recall)


def test_two_matters_in_the_same_words_are_never_certain() -> None:
    assert not is_certain(0.9, "Lampadaire éteint devant le n° 3", "Lampadaire éteint, n° 41")
    assert not is_certain(0.9, "La salle le 7 mars", "La salle le 10 octobre")
    assert is_certain(0.9, "Lampadaire éteint devant le 3", "Toujours éteint, le lampadaire")
    assert is_certain(0.9, "Trou le 2 rue Haute", "Trou rue Haute depuis janvier")


def test_the_weights_are_learnt_once_then_read_from_the_shared_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import cache

    from parvis.routing import duplicates

    cache.clear()
    duplicates._idf.cache_clear()  # a process that starts
    learnt = duplicates._idf()
    duplicates._idf.cache_clear()  # another one, with the cache filled by the first
    monkeypatch.setattr(duplicates, "_learn_idf", lambda: pytest.fail("learnt again"))
    try:
        assert duplicates._idf() == learnt
        assert learnt["lampadaire"[:4]] > learnt[" bon"]  # a matter weighs, a greeting little
    finally:
        duplicates._idf.cache_clear()
