"""``parvis triage predict | evaluate FILE.jsonl | train``: the triage classifier by hand.

- ``predict`` reads one request per line on stdin and prints one JSON line per request:
  ``{"service": slug, "request_type": slug, "confidence": float, "top3": [[slug, float], …]}``;
- ``evaluate FILE.jsonl`` reads lines with ``"text"`` and ``"service"`` and prints the
  accuracy, the top-3 accuracy, the macro-F1 and the confusion table (true → predicted);
- ``train`` trains a new version now (the worker does it every night) and prints its measure.

``predict`` and ``evaluate`` use the version in use, and train one first if there is none.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from parvis.routing.actions import classifier_retrain
from parvis.routing.classifier import Classifier
from parvis.routing.examples import read_examples
from parvis.routing.triage import current_classifier


class Command(BaseCommand):
    help = _("Le classifieur d'orientation : prédire, évaluer, réentraîner.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("predict", help=_("une demande par ligne sur l'entrée standard"))
        evaluate = actions.add_parser("evaluate", help=_("mesurer sur un fichier JSON lines"))
        evaluate.add_argument("file", type=Path)
        actions.add_parser("train", help=_("entraîner une nouvelle version maintenant"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "train":
            version = classifier_retrain()
            self.stdout.write(
                json.dumps(
                    {
                        "version": version.pk,
                        "accuracy": round(version.accuracy, 4),
                        "top3_accuracy": round(version.top3_accuracy, 4),
                        "macro_f1": round(version.macro_f1, 4),
                        "evaluated_on": version.evaluated_on,
                        "seconds": round(version.training_seconds, 2),
                    }
                )
            )
            return
        classifier = self._classifier()
        if options["action"] == "predict":
            for line in sys.stdin:
                if line.strip():
                    prediction = classifier.predict(line.strip())
                    self.stdout.write(json.dumps(prediction.as_json(), ensure_ascii=False))
        else:
            try:
                examples = list(read_examples(options["file"]))
            except (OSError, ValueError) as error:
                raise CommandError(_("Fichier illisible : %(error)s") % {"error": error}) from error
            report = classifier.evaluate(examples)
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))

    def _classifier(self) -> Classifier:
        loaded = current_classifier()
        if loaded is None:
            self.stderr.write(_("Aucun classifieur entraîné : entraînement…"))
            classifier_retrain()
            loaded = current_classifier()
        assert loaded is not None
        return loaded.classifier
