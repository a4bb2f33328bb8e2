"""The triage classifier routes free text when sure, suggests when not, and learns from agents."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parvis.catalog.models import Service
from parvis.routing.actions import classifier_retrain
from parvis.routing.classifier import Classifier, Example
from parvis.routing.decide import RoutingReason, route
from parvis.routing.examples import BOOTSTRAP_CORPUS, read_examples
from parvis.routing.models import ClassifierVersion
from parvis.routing.training import bootstrap_examples, history_examples
from parvis.tickets.actions import ticket_change_status, ticket_transfer
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Event, Status

pytestmark = pytest.mark.django_db

# A few requests per service, enough for the tests' purposes (the real corpus is larger).
SMALL_CORPUS = [
    Example(text, service, request_type)
    for service, request_type, texts in [
        (
            "services-techniques",
            "eclairage-public",
            [
                "Le lampadaire de la rue Jaurès ne s'allume plus",
                "lampadaire eteint depuis trois jours devant chez moi",
                "la rue est dans le noir, l'éclairage public est en panne",
                "un réverbère clignote toute la nuit avenue Foch",
            ],
        ),
        (
            "services-techniques",
            "nid-de-poule",
            [
                "un gros trou dans la chaussée rue des Écoles",
                "nid de poule dangereux pour les vélos route de Lyon",
                "la route est défoncée après le carrefour",
                "trou énorme dans le bitume, ma voiture a été abîmée",
            ],
        ),
        (
            "etat-civil",
            "acte-de-naissance",
            [
                "je voudrais une copie intégrale de mon acte de naissance",
                "extrait d'acte de naissance avec filiation svp",
                "besoin d'un acte de naissance pour mon passeport",
                "pouvez-vous m'envoyer l'acte de naissance de ma fille",
            ],
        ),
        (
            "accueil",
            "question-generale",
            [
                "quels sont les horaires d'ouverture de la mairie le samedi",
                "à quelle heure ouvre l'accueil de la mairie",
                "la mairie est-elle ouverte pendant les vacances",
                "qui dois-je contacter pour une question générale",
            ],
        ),
        (
            "police-municipale",
            "nuisances-sonores",
            [
                "mes voisins font la fête tous les soirs, musique très forte",
                "le chien du voisin aboie toute la nuit",
                "bruit insupportable du bar en bas de chez moi",
                "tapage nocturne chaque week-end rue Victor Hugo",
            ],
        ),
    ]
    for text in texts
]


@pytest.fixture
def trained(catalog: None) -> ClassifierVersion:
    return classifier_retrain(bootstrap=SMALL_CORPUS, history=[])


def test_a_sure_prediction_routes_and_the_timeline_says_why(
    trained: ClassifierVersion, make_ticket: Any
) -> None:
    Service.objects.filter(slug="services-techniques").update(triage_threshold=0.3)

    ticket = make_ticket(subject="Lampadaire", description="devant le 12, il ne s'allume plus")

    assert ticket.service.slug == "services-techniques"
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.data["reason"] == RoutingReason.CLASSIFIER
    assert routed.data["model_version"] == trained.pk
    assert routed.data["confidence"] >= 0.3
    sentence = describe(routed, Audience.AGENT, names_for([routed], Audience.AGENT))
    assert "classement automatique du texte, confiance" in sentence


def test_the_address_written_to_goes_before_the_classifier(trained: ClassifierVersion) -> None:
    decision = route(request_type=None, text="", service=Service.objects.get(slug="ccas"))
    assert decision.reason == RoutingReason.MAILBOX


def test_below_the_services_threshold_the_ticket_waits_at_the_accueil_with_suggestions(
    trained: ClassifierVersion, make_ticket: Any
) -> None:
    Service.objects.update(triage_threshold=1.0)  # never automatically

    ticket = make_ticket(subject="Lampadaire éteint rue Jaurès", description="depuis lundi")

    assert ticket.service.slug == "accueil"
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    suggestions = routed.data["suggestions"]
    assert len(suggestions) == 3
    technical = Service.objects.get(slug="services-techniques")
    assert suggestions[0][0] == technical.pk and suggestions[0][1] > suggestions[1][1]
    sentence = describe(routed, Audience.AGENT, names_for([routed], Audience.AGENT))
    assert "suggestions : Services techniques (" in sentence


def test_an_agents_correction_changes_the_next_prediction(
    trained: ClassifierVersion, make_ticket: Any, make_agent: Any
) -> None:
    """A matter the corpus never saw: once agents moved such requests, the model follows."""
    text = "Le columbarium a une plaque descellée"
    before = Classifier.loads(bytes(trained.model)).predict(text)
    assert before.service != "etat-civil"

    agent = make_agent("accueil", "etat-civil")
    etat_civil = Service.objects.get(slug="etat-civil")
    for number in range(6):
        ticket = make_ticket(subject=f"Columbarium, case {number}", description=text)
        if ticket.service_id != etat_civil.pk:
            ticket_transfer(ticket=ticket, actor=agent, to_service=etat_civil, reason="Cimetière")
    assert len(history_examples()) == 6

    after = classifier_retrain(bootstrap=SMALL_CORPUS)

    assert after.history_examples == 6
    assert Classifier.loads(bytes(after.model)).predict(text).service == "etat-civil"


def test_history_counts_what_an_agent_vouched_for_only(
    catalog: None, make_ticket: Any, make_agent: Any
) -> None:
    agent = make_agent("accueil")
    untouched = make_ticket(subject="Une question", description="rien")
    resolved = make_ticket(subject="Une autre", description="réglée")
    make_ticket("nid-de-poule", subject="Par le formulaire")  # a démarche: the citizen chose
    ticket_change_status(ticket=resolved, actor=agent, status=Status.RESOLVED)

    assert [e.text for e in history_examples()] == ["Une autre\nréglée"]
    assert untouched.pk


def test_predict_and_evaluate_on_the_command_line(
    trained: ClassifierVersion, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", StringIO("trou dans la route\n\nmon acte de naissance\n"))
    out = StringIO()
    call_command("triage", "predict", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["service"] for line in lines] == ["services-techniques", "etat-civil"]
    assert lines[0]["request_type"] == "nid-de-poule"
    assert set(lines[0]) == {"service", "request_type", "confidence", "top3"}
    assert len(lines[0]["top3"]) == 3 and 0 < lines[0]["confidence"] <= 1

    file = tmp_path / "eval.jsonl"
    file.write_text(
        "\n".join(
            json.dumps({"text": t, "service": s})
            for t, s in [
                ("la rue est toute noire la nuit", "services-techniques"),
                ("horaires du samedi ?", "accueil"),
            ]
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("triage", "evaluate", str(file), stdout=out)
    report = json.loads(out.getvalue())
    assert report["count"] == 2 and 0 <= report["accuracy"] <= 1
    assert set(report) == {"count", "accuracy", "top3_accuracy", "macro_f1", "confusion"}


def test_the_bootstrap_corpus_trains_a_classifier_that_generalises(catalog: None) -> None:
    """The measure administrators see: a fifth of the corpus set aside, never learnt."""
    version = classifier_retrain(history=[])

    assert version.bootstrap_examples >= 1500
    assert not version.evaluated_on_history and version.evaluated_on >= 300
    assert version.accuracy >= 0.88, version.accuracy
    assert version.top3_accuracy >= 0.96, version.top3_accuracy
    services = {s.slug for s in Service.objects.all()}
    loaded = Classifier.loads(bytes(version.model))
    assert set(loaded.services) == services  # every service of the catalogue can be predicted


@pytest.mark.parametrize("evaluation_set", ["holdout.jsonl", "holdout2.jsonl"])
def test_requests_written_apart_from_the_corpus_are_routed_as_the_issue_asks(
    evaluation_set: str,
) -> None:
    """Two sets written by other authors who never saw the corpus, never trained or tuned on.

    The issue's targets are 90 % top-1 and 98 % top-3 on requests the model never saw; the
    floors are those targets (the sets measured 95.8 / 99.7 % and 94.1 / 99.1 % when written).
    """
    classifier = Classifier.train(bootstrap_examples())
    report = classifier.evaluate(list(read_examples(BOOTSTRAP_CORPUS.parent / evaluation_set)))

    assert report.count >= 300
    assert report.accuracy >= 0.90, report.as_json()
    assert report.top3_accuracy >= 0.98, report.as_json()
