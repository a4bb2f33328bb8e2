"""Agents, their service memberships, and requesters in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from parvis.accounts.models import Membership, Requester, User


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
