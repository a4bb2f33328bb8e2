"""The forms of the back office's knowledge base: an article's text and settings, a file."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import User
from parvis.catalog.models import RequestType, Service
from parvis.intake.forms import CheckedFileField
from parvis.knowledge.actions import ArticleContent
from parvis.knowledge.models import SUMMARY_LENGTH, TITLE_LENGTH, Article, Category
from parvis.tickets.selectors import member_service_ids


class ArticleForm(forms.Form):
    """What an agent writes; the service is one of theirs (any, for an administrator)."""

    title = forms.CharField(label=_("Titre"), max_length=TITLE_LENGTH)
    summary = forms.CharField(
        label=_("Résumé"),
        max_length=SUMMARY_LENGTH,
        required=False,
        help_text=_("Une phrase, montrée dans les listes et les résultats de recherche."),
    )
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "En Markdown : « ## Intertitre », « - » pour une liste, **gras**, "
            "[texte du lien](https://adresse), tableaux « | a | b | »."
        ),
    )
    category = forms.ModelChoiceField(label=_("Thème"), queryset=Category.objects.all())
    service = forms.ModelChoiceField(
        label=_("Service propriétaire"), queryset=Service.objects.none()
    )
    keywords = forms.CharField(
        label=_("Mots-clés"),
        max_length=300,
        required=False,
        help_text=_("Mots qu'un usager pourrait taper pour trouver cette fiche."),
    )
    request_types = forms.ModelMultipleChoiceField(
        label=_("Démarches liées"),
        queryset=RequestType.objects.filter(is_active=True).select_related("service"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("La fiche est proposée sur la page de ces démarches."),
    )
    review_every_days = forms.IntegerField(
        label=_("À relire tous les (jours)"), min_value=7, max_value=3650, initial=365
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.all()
        if not user.is_superuser:
            services = services.filter(pk__in=member_service_ids(user))
        self.fields["service"].queryset = services  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, object]:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "category": article.category_id,
            "service": article.service_id,
            "keywords": article.keywords,
            "request_types": [t.pk for t in article.request_types.all()],
            "review_every_days": article.review_every_days,
        }

    def content(self) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            category=data["category"],
            service=data["service"],
            keywords=data["keywords"],
            review_every_days=data["review_every_days"],
            request_types=tuple(data["request_types"]),
        )


class ArticleFileForm(forms.Form):
    file = CheckedFileField(label=_("Fichier (formulaire PDF, dépliant…)"), required=True)


class ArticleStateForm(forms.Form):
    state = forms.ChoiceField(choices=Article.State.choices)
