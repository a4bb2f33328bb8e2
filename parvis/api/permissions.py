"""Who may use the API: active agents, i.e. members of at least one service."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from parvis.tickets.selectors import member_service_ids


class IsAgent(BasePermission):
    message = _("L'API est réservée aux agents membres d'au moins un service.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return False
        return bool(user.is_superuser or member_service_ids(user))
