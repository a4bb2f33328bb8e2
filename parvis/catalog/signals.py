"""Every change to the catalogue bumps its revision, so that each process reloads it."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from parvis.catalog import revision
from parvis.catalog.models import FormField, RequestType, Service


def catalogue_changed(sender: type, **kwargs: Any) -> None:
    revision.bump()


def connect(*models: type) -> None:
    for model in models:
        uid = f"catalog-revision-{model._meta.label_lower}"  # type: ignore[attr-defined]
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-delete")


def connect_catalogue() -> None:
    connect(Service, RequestType, FormField)
