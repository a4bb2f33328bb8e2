"""Routing v1: démarche → its service; free text → keyword rules; else the triage queue."""

from dataclasses import dataclass

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
    for rule in KeywordRule.objects.filter(is_active=True).select_related("service"):
        for keyword in rule.keywords.split(","):
            needle = normalize(keyword)
            if needle and f" {needle} " in haystack:
                return RoutingDecision(rule.service, f"mot-clé « {keyword.strip()} »")
    triage = Service.objects.get(slug=TRIAGE_SERVICE_SLUG)
    return RoutingDecision(triage, "aucune règle : file d'accueil")
