"""Writes to the commune's identity."""

from django.db import transaction

from parvis.core.models import Commune


@transaction.atomic
def commune_update(*, name: str, email: str = "", phone: str = "", website: str = "") -> Commune:
    """Create or update the commune's identity (one row); every process sees it within a second."""
    commune = Commune.objects.select_for_update().order_by("pk").first() or Commune()
    commune.name, commune.email, commune.phone, commune.website = name, email, phone, website
    commune.save()  # bumps the version "commune" on commit (parvis.core.cache_versions.track)
    return commune
