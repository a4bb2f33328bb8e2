"""Template context shared by every page."""

from django.http import HttpRequest

from parvis.core.models import Commune


def commune(request: HttpRequest) -> dict[str, Commune]:
    return {"commune": Commune.current()}
