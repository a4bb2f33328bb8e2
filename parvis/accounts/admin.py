"""Agents, their service memberships, and requesters in the admin.

An administrator unlocks an account locked out after failed logins, and resets the second
factor of an agent who lost their phone, from the agents' list (actions). django-otp's own
device pages are removed: a device added there would be a second factor the agent never
saw (the QR code is only shown to the agent, in the back office).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from parvis.accounts.actions import login_unlock, two_factor_reset
from parvis.accounts.models import ApiToken, Membership, Requester, User

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "two_factor",
    ]
    actions = ["unlock_login", "reset_two_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(devices))

    @admin.display(description=_("double authentification"), boolean=True)
    def two_factor(self, user: User) -> bool:
        return bool(getattr(user, "has_two_factor", False))

    @admin.action(description=_("Débloquer la connexion (après des échecs de mot de passe)"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            if login_unlock(username=user.username):
                self.log_change(request, user, str(_("Connexion débloquée.")))
        self.message_user(
            request,
            ngettext(
                "Connexion débloquée pour %(count)s agent.",
                "Connexion débloquée pour %(count)s agents.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Réinitialiser la double authentification (téléphone perdu)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_reset(user=user)
            self.log_change(request, user, str(_("Double authentification réinitialisée.")))
        self.message_user(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(count)s agent : il la "
                "configurera à sa prochaine connexion.",
                "Double authentification réinitialisée pour %(count)s agents : ils la "
                "configureront à leur prochaine connexion.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


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
