"""The classifier in use, as each process keeps it: the newest ``ClassifierVersion``.

Kept per process under the ``classifier`` version (``core.cache_versions``): a retraining on
one machine reaches every worker within a second, and each loads the bytes once.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from parvis.core.cache_versions import CLASSIFIER, memo
from parvis.routing.models import ClassifierVersion

if TYPE_CHECKING:
    from parvis.routing.classifier import Classifier, Prediction


@dataclass(frozen=True)
class Loaded:
    version: int
    classifier: "Classifier"


def current_classifier() -> Loaded | None:
    return memo(CLASSIFIER, "current", _load)


def _load() -> Loaded | None:
    row = (
        ClassifierVersion.objects.order_by("-created_at", "-pk").values_list("pk", "model").first()
    )
    if row is None:
        return None
    from parvis.routing.classifier import Classifier  # NumPy and scikit-learn: loaded once

    return Loaded(version=row[0], classifier=Classifier.loads(bytes(row[1])))


def predict(text: str) -> "tuple[int, Prediction] | None":
    """(model version, prediction) for a request's text; None before any training."""
    loaded = current_classifier()
    if loaded is None or not text.strip():
        return None
    return loaded.version, loaded.classifier.predict(text)
