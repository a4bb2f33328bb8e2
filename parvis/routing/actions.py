"""Training the triage classifier: a new version, measured, which every process then uses."""

import logging

from parvis.routing.examples import Example
from parvis.routing.models import ClassifierVersion

logger = logging.getLogger(__name__)


def classifier_retrain(
    *, bootstrap: list[Example] | None = None, history: list[Example] | None = None
) -> ClassifierVersion:
    """Train on the corpus and the commune's history; record the version and its measure."""
    from parvis.routing.training import train  # NumPy and scikit-learn: only when training

    training = train(bootstrap, history)
    report = training.report
    version = ClassifierVersion.objects.create(
        bootstrap_examples=training.bootstrap_count,
        history_examples=training.history_count,
        evaluated_on=report.count,
        evaluated_on_history=training.on_history,
        accuracy=report.accuracy,
        top3_accuracy=report.top3_accuracy,
        macro_f1=report.macro_f1,
        training_seconds=training.seconds,
        model=training.classifier.dumps(),
    )
    logger.info(
        "classifier v%s trained in %.1f s: %.1f %% top-1, %.1f %% top-3 on %d requests",
        version.pk,
        training.seconds,
        100 * report.accuracy,
        100 * report.top3_accuracy,
        report.count,
    )
    return version
