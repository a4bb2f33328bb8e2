"""Admin for routing rules and the triage classifier's versions (their measure, a retraining)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parvis.routing.models import ClassifierVersion, KeywordRule
from parvis.routing.tasks import retrain_classifier_now


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin[KeywordRule]):
    list_display = ["keywords", "service", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["service", "is_active"]


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin[ClassifierVersion]):
    """Each version and how it did on requests it had not learnt from; retrain on demand."""

    list_display = [
        "__str__",
        "created_at",
        "accuracy_percent",
        "top3_percent",
        "macro_f1",
        "evaluated_on",
        "evaluated_on_history",
        "history_examples",
        "bootstrap_examples",
        "training_seconds",
    ]
    exclude = ["model"]
    readonly_fields = [str(f) for f in list_display if f != "__str__"]
    actions = ["retrain"]

    @admin.display(description=_("exactitude (1er choix)"))
    def accuracy_percent(self, version: ClassifierVersion) -> str:
        return f"{version.accuracy:.1%}"

    @admin.display(description=_("exactitude (3 premiers choix)"))
    def top3_percent(self, version: ClassifierVersion) -> str:
        return f"{version.top3_accuracy:.1%}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Réentraîner le classifieur maintenant"))
    def retrain(self, request: HttpRequest, queryset: QuerySet[ClassifierVersion]) -> None:
        retrain_classifier_now()
        messages.info(
            request,
            _(
                "Entraînement demandé : la nouvelle version apparaît ici dans une minute "
                "environ, avec sa mesure."
            ),
        )
