"""The form of a canned response: its service (one of the agent's), title and text."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.knowledge.canned import PLACEHOLDERS, CannedContent, check_placeholders
from parvis.knowledge.models import CannedResponse
from parvis.tickets.selectors import member_service_ids


class CannedResponseForm(forms.Form):
    """What an agent writes; an unknown placeholder is refused here, in French."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    title = forms.CharField(label=_("Titre"), max_length=120)
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.all()
        if not user.is_superuser:
            services = services.filter(pk__in=member_service_ids(user))
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["body"].help_text = _(
            "Champs remplacés à l'insertion dans une réponse : %(list)s."
        ) % {"list": ", ".join(f"{{{name}}} ({label})" for name, label in PLACEHOLDERS.items())}

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        check_placeholders(body)
        return body

    def content(self) -> CannedContent:
        return CannedContent(
            service=self.cleaned_data["service"],
            title=self.cleaned_data["title"],
            body=self.cleaned_data["body"],
        )

    @staticmethod
    def initial_for(response: CannedResponse) -> dict[str, Any]:
        return {"service": response.service, "title": response.title, "body": response.body}
