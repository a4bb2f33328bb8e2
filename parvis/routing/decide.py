"""Routing: démarche → its service; the mairie's address written to → its service; free text
→ the triage classifier when it is sure enough for the service it picks (the service's
``triage_threshold``), else the triage queue with the classifier's three suggestions.

The keyword rules route free text only until a classifier is trained (a new installation's
first minutes): a rule fires on one word ("RSA" in "RSA… et une salle pour l'anniversaire")
where the classifier reads the whole text and says how sure it is.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.core.text import normalize
from parvis.routing.models import KeywordRule
from parvis.routing.triage import predict

TRIAGE_SERVICE_SLUG = "accueil"


class RoutingReason(enum.StrEnum):
    """Why a new ticket went to its service (stored in its ``routed`` event)."""

    REQUEST_TYPE = "request_type"
    MAILBOX = "mailbox"
    CLASSIFIER = "classifier"
    KEYWORD = "keyword"
    TRIAGE = "triage"


@dataclass(frozen=True)
class RoutingDecision:
    """The service chosen, why (a ``RoutingReason``) and the facts behind it (ids, keyword)."""

    service: Service
    reason: RoutingReason
    params: dict[str, object] = field(default_factory=dict)


def route(
    *,
    request_type: RequestType | None,
    text: str,
    service: Service | None = None,
    mailbox: str = "",
) -> RoutingDecision:
    """Choose the service for a new ticket, and say why (shown in the timeline).

    ``service`` is the default service of the mairie's address ``mailbox`` a mail was
    written to (``contact@`` has none, ``etat-civil@`` its service).
    """
    if request_type is not None:
        return RoutingDecision(
            request_type.service, RoutingReason.REQUEST_TYPE, {"request_type_id": request_type.pk}
        )
    if service is not None:
        return RoutingDecision(service, RoutingReason.MAILBOX, {"mailbox": mailbox})
    rules = memo(CATALOGUE, "routing-rules", _routing_rules)
    predicted = predict(text)
    if predicted is not None:
        version, prediction = predicted
        chosen = rules.services.get(prediction.service)
        if chosen is not None and prediction.confidence >= chosen.threshold:
            params: dict[str, object] = {
                "confidence": round(prediction.confidence, 3),
                "model_version": version,
            }
            request_type_id = rules.request_types.get(prediction.request_type or "")
            if request_type_id is not None:
                params["suggested_request_type_id"] = request_type_id
            return RoutingDecision(chosen.row.instance(), RoutingReason.CLASSIFIER, params)
        suggestions = {
            "model_version": version,
            "suggestions": [
                [rules.services[slug].pk, round(p, 3)]
                for slug, p in prediction.top3
                if slug in rules.services
            ],
        }
        return RoutingDecision(rules.triage.instance(), RoutingReason.TRIAGE, suggestions)
    haystack = f" {normalize(text)} "
    for rule_id, rule_service, keywords in rules.keyword_rules:
        for keyword, needle in keywords:
            if f" {needle} " in haystack:
                return RoutingDecision(
                    rule_service.instance(),
                    RoutingReason.KEYWORD,
                    {"keyword": keyword, "rule_id": rule_id},
                )
    return RoutingDecision(rules.triage.instance(), RoutingReason.TRIAGE)


@dataclass(frozen=True, slots=True)
class _Service:
    pk: int
    row: Row[Service]
    threshold: float


@dataclass(frozen=True, slots=True)
class _Rules:
    """The rules as a process keeps them (immutable): [(rule id, service, [(keyword, needle)])],
    the triage service, the services by slug with their thresholds, the démarches' ids."""

    keyword_rules: tuple[tuple[int, Row[Service], tuple[tuple[str, str], ...]], ...]
    triage: Row[Service]
    services: Mapping[str, _Service]
    request_types: Mapping[str, int]


def _routing_rules() -> _Rules:
    """The active rules in order, their keywords normalised once; the triage service."""
    keyword_rules = []
    for rule in KeywordRule.objects.filter(is_active=True).select_related("service"):
        keywords = [(keyword.strip(), normalize(keyword)) for keyword in rule.keywords.split(",")]
        keyword_rules.append(
            (
                rule.pk,
                Row.of(rule.service),
                tuple((k, needle) for k, needle in keywords if needle),
            )
        )
    services = {
        s.slug: _Service(s.pk, Row.of(s), s.triage_threshold) for s in Service.objects.all()
    }
    request_types = dict(RequestType.objects.values_list("slug", "pk"))
    return _Rules(
        tuple(keyword_rules),
        services[TRIAGE_SERVICE_SLUG].row,
        MappingProxyType(services),
        MappingProxyType(request_types),
    )
