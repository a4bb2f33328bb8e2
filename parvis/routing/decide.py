"""Routing v1: démarche → its service; free text → keyword rules; else the triage queue."""

from dataclasses import dataclass

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.core.text import normalize
from parvis.routing.models import KeywordRule

TRIAGE_SERVICE_SLUG = "accueil"


@dataclass(frozen=True)
class RoutingDecision:
    service: Service
    reason: str


def route(*, request_type: RequestType | None, text: str) -> RoutingDecision:
    """Choose the service for a new ticket, and say why (shown in the timeline)."""
    if request_type is not None:
        return RoutingDecision(request_type.service, f"démarche « {request_type.name} »")
    haystack = f" {normalize(text)} "
    rules = memo(CATALOGUE, "routing-rules", _routing_rules)
    for service, keywords in rules.keyword_rules:
        for keyword, needle in keywords:
            if f" {needle} " in haystack:
                return RoutingDecision(service.instance(), f"mot-clé « {keyword} »")
    return RoutingDecision(rules.triage.instance(), "aucune règle : file d'accueil")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The rules as a process keeps them (immutable): [(service, [(keyword, needle)])], triage."""

    keyword_rules: tuple[tuple[Row[Service], tuple[tuple[str, str], ...]], ...]
    triage: Row[Service]


def _routing_rules() -> _Rules:
    """The active rules in order, their keywords normalised once; the triage service."""
    keyword_rules = []
    for rule in KeywordRule.objects.filter(is_active=True).select_related("service"):
        keywords = [(keyword.strip(), normalize(keyword)) for keyword in rule.keywords.split(",")]
        keyword_rules.append(
            (Row.of(rule.service), tuple((k, needle) for k, needle in keywords if needle))
        )
    triage = Service.objects.get(slug=TRIAGE_SERVICE_SLUG)
    return _Rules(tuple(keyword_rules), Row.of(triage))
