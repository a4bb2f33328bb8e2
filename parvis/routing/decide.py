"""Routing v1: démarche → its service; free text → keyword rules; else the triage queue."""

from dataclasses import dataclass

from parvis.catalog import revision
from parvis.catalog.models import RequestType, Service
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
    rules = revision.cached("routing_rules", _routing_rules)
    for service, keywords in rules.keyword_rules:
        for keyword, needle in keywords:
            if f" {needle} " in haystack:
                return RoutingDecision(service, f"mot-clé « {keyword} »")
    return RoutingDecision(rules.triage, "aucune règle : file d'accueil")


@dataclass(frozen=True)
class _Rules:
    keyword_rules: list[tuple[Service, list[tuple[str, str]]]]  # (service, [(keyword, needle)])
    triage: Service


def _routing_rules() -> _Rules:
    """The active rules in order, their keywords normalised once; the triage service."""
    keyword_rules = []
    for rule in KeywordRule.objects.filter(is_active=True).select_related("service"):
        keywords = [(keyword.strip(), normalize(keyword)) for keyword in rule.keywords.split(",")]
        keyword_rules.append((rule.service, [(k, needle) for k, needle in keywords if needle]))
    return _Rules(keyword_rules, Service.objects.get(slug=TRIAGE_SERVICE_SLUG))
