"""The triage classifier: which service (and démarche) a free-text request is for, and how sure.

TF-IDF over character 3- to 5-grams (they survive typos, missing accents and SMS spelling:
"lampadère", "eclairage", "plu") and over words (they carry the meaning: "acte de
naissance"), then a linear model whose scores, turned into probabilities (a softmax with a
temperature fitted on requests it did not learn from), are the confidence shown and
compared with each service's threshold. One label per démarche, plus one per service for
what fits none of its démarches ("etat-civil/" for a cemetery question); a service's
probability is the sum of its labels', so the service is surer than any one démarche.

This module knows nothing of Django: it trains on ``Example``s and predicts on text, so the
command line, the tests and the periodic retraining share it (``routing.training`` feeds it
from the bootstrap corpus and the commune's history).
"""

import io
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from parvis.routing.examples import SEPARATOR, Example


@dataclass(frozen=True)
class Prediction:
    service: str
    request_type: str | None
    confidence: float  # of the service
    top3: list[tuple[str, float]]  # the three likeliest services

    def as_json(self) -> dict[str, object]:
        return {
            "service": self.service,
            "request_type": self.request_type,
            "confidence": round(self.confidence, 4),
            "top3": [[slug, round(p, 4)] for slug, p in self.top3],
        }


@dataclass(frozen=True)
class Report:
    """How a classifier does on examples it was not trained on."""

    count: int
    accuracy: float
    top3_accuracy: float
    macro_f1: float
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # true → predicted → n

    def as_json(self) -> dict[str, object]:
        return {
            "count": self.count,
            "accuracy": round(self.accuracy, 4),
            "top3_accuracy": round(self.top3_accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "confusion": self.confusion,
        }


def _pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    strip_accents="unicode",
                    lowercase=True,
                    sublinear_tf=True,
                    min_df=2,
                    max_features=150_000,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    strip_accents="unicode",
                    lowercase=True,
                    sublinear_tf=True,
                    min_df=1,
                    max_features=50_000,
                    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regex, not a password
                    dtype=np.float32,
                ),
            ),
        ],
    )
    # A linear SVM (liblinear): as accurate as a logistic regression here, and trained in
    # seconds where lbfgs took minutes on 200,000 features and 40 labels. Its scores become
    # probabilities through a softmax whose temperature is fitted on held-out requests.
    return Pipeline([("features", features), ("model", LinearSVC(C=0.5))])


TEMPERATURES = np.logspace(-0.5, 1.5, 41)
DEFAULT_TEMPERATURE = 5.0


class Classifier:
    """A trained pipeline, the temperature of its probabilities, the services of its labels."""

    def __init__(self, pipeline: Pipeline, temperature: float = DEFAULT_TEMPERATURE) -> None:
        self._pipeline = pipeline
        self.temperature = temperature
        labels = [str(label) for label in pipeline.classes_]
        self._services = sorted({label.split(SEPARATOR, 1)[0] for label in labels})
        index = {slug: i for i, slug in enumerate(self._services)}
        # labels × services: summing a row's label probabilities into its service's column
        self._to_service = np.zeros((len(labels), len(self._services)), dtype=np.float64)
        for row, label in enumerate(labels):
            self._to_service[row, index[label.split(SEPARATOR, 1)[0]]] = 1.0
        self._labels = labels

    @classmethod
    def train(cls, examples: Iterable[Example]) -> "Classifier":
        """Fit on ``examples``, with the default temperature."""
        examples = list(examples)
        if len({e.service for e in examples}) < 2:
            raise ValueError("at least two services are needed to train the classifier")
        pipeline = _pipeline()
        pipeline.fit([e.text for e in examples], [e.label for e in examples])
        model = pipeline.named_steps["model"]
        model.coef_ = model.coef_.astype(np.float32)  # half the size, the same decisions
        return cls(pipeline)

    @classmethod
    def train_and_measure(
        cls, examples: Iterable[Example], held_out: Sequence[Example]
    ) -> tuple["Classifier", "Report"]:
        """Fit on ``examples``; fit the confidence on ``held_out`` and measure on it.

        The held-out requests are scored once for both (scoring 20,000 requests is a fifth of
        a retraining on 100,000).
        """
        classifier = cls.train(examples)
        if not held_out:
            return classifier, classifier.evaluate(held_out)
        scores = classifier._scores([e.text for e in held_out])
        classifier.temperature = classifier._fit_temperature(held_out, scores)
        return classifier, classifier._report(held_out, scores)

    def _fit_temperature(self, examples: Sequence[Example], scores: np.ndarray) -> float:
        """The temperature under which the services' probabilities best match the truth."""
        truth = np.array(
            [
                self._services.index(e.service) if e.service in self._services else -1
                for e in examples
            ]
        )
        known = truth >= 0
        best, best_loss = DEFAULT_TEMPERATURE, np.inf
        for temperature in TEMPERATURES:
            services = self._service_probabilities(scores, float(temperature))[known]
            loss = -np.mean(np.log(services[np.arange(len(services)), truth[known]] + 1e-12))
            if loss < best_loss:
                best, best_loss = float(temperature), loss
        return best

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.asarray(self._pipeline.decision_function(list(texts)), dtype=np.float64)
        if scores.ndim == 1:  # two labels: one score, for the second
            scores = np.column_stack([-scores, scores])
        return scores

    def _label_probabilities(self, scores: np.ndarray, temperature: float) -> np.ndarray:
        scaled = scores * temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        return exp / exp.sum(axis=1, keepdims=True)

    def _service_probabilities(self, scores: np.ndarray, temperature: float) -> np.ndarray:
        return self._label_probabilities(scores, temperature) @ self._to_service

    @property
    def services(self) -> list[str]:
        return list(self._services)

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        return self._predictions(self._scores(texts))

    def _predictions(self, scores: np.ndarray) -> list[Prediction]:
        label_probabilities = self._label_probabilities(scores, self.temperature)
        service_probabilities = label_probabilities @ self._to_service
        predictions = []
        for labels_row, services_row in zip(
            label_probabilities, service_probabilities, strict=True
        ):
            order = np.argsort(-services_row)
            service = self._services[order[0]]
            in_service = [
                (p, self._labels[i])
                for i, p in enumerate(labels_row)
                if self._labels[i].startswith(service + SEPARATOR)
            ]
            best_label = max(in_service)[1]
            predictions.append(
                Prediction(
                    service=service,
                    request_type=best_label.split(SEPARATOR, 1)[1] or None,
                    confidence=float(services_row[order[0]]),
                    top3=[(self._services[i], float(services_row[i])) for i in order[:3]],
                )
            )
        return predictions

    def evaluate(self, examples: Sequence[Example]) -> Report:
        scores = self._scores([e.text for e in examples]) if examples else None
        return self._report(examples, scores)

    def _report(self, examples: Sequence[Example], scores: np.ndarray | None) -> Report:
        predictions = self._predictions(scores) if scores is not None else []
        truth = [e.service for e in examples]
        guessed = [p.service for p in predictions]
        confusion: dict[str, dict[str, int]] = {}
        for true, guess in zip(truth, guessed, strict=True):
            row = confusion.setdefault(true, {})
            row[guess] = row.get(guess, 0) + 1
        count = len(examples)
        return Report(
            count=count,
            accuracy=sum(t == g for t, g in zip(truth, guessed, strict=True)) / max(count, 1),
            top3_accuracy=sum(
                t in {slug for slug, _p in p.top3} for t, p in zip(truth, predictions, strict=True)
            )
            / max(count, 1),
            macro_f1=_macro_f1(truth, guessed),
            confusion=confusion,
        )

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump((self._pipeline, self.temperature), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> "Classifier":
        pipeline, temperature = pickle.loads(data)  # noqa: S301 - Parvis's own, from its database
        return cls(pipeline, temperature)


def _macro_f1(truth: Sequence[str], guessed: Sequence[str]) -> float:
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == label and g == label for t, g in zip(truth, guessed, strict=True))
        fp = sum(t != label and g == label for t, g in zip(truth, guessed, strict=True))
        fn = sum(t == label and g != label for t, g in zip(truth, guessed, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0
