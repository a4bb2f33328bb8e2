"""Agents, their service memberships, and requesters in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from parvis.accounts.models import ApiToken, Membership, Requester, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


@admin.register(Requester)
class RequesterAdmin(admin.ModelAdmin[Requester]):
    list_display = ["name", "kind", "email", "phone", "created_at"]
    search_fields = ["name", "email", "phone"]
    list_filter = ["kind"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Who has an API key, to revoke it (delete). Keys are created, once, by
    ``parvis create-api-token``: only their hash is kept, never shown."""

    list_display = ["user", "prefix", "created_at"]
    fields = ["user", "prefix", "created_at"]
    readonly_fields = ["user", "prefix", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
