"""The administration (/admin/) behind the same second factor as the back office.

Django's admin login stays (staff without a service log in there too), but a staff member
whose second factor is owed is sent to the back office's code page before any admin page:
until then the admin treats them as not allowed.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from parvis.accounts.selectors import two_factor_pending
from parvis.backoffice.views.auth import two_factor_url


class ParvisAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not two_factor_pending(request.user)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().login(request, extra_context)
        if request.user.is_authenticated and two_factor_pending(request.user):
            index = reverse("admin:index", current_app=self.name)
            return redirect(
                two_factor_url(request.POST.get("next") or request.GET.get("next") or index)
            )
        return response
