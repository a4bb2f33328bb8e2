"""Writes to the commune's identity."""

from django.core.cache import cache
from django.db import transaction

from parvis.core.models import Commune


@transaction.atomic
def commune_update(*, name: str, email: str = "", phone: str = "", website: str = "") -> Commune:
    """Create or update the commune's identity (one row)."""
    commune = Commune.objects.order_by("pk").first() or Commune()
    commune.name, commune.email, commune.phone, commune.website = name, email, phone, website
    commune.save()
    transaction.on_commit(lambda: cache.delete(Commune.CACHE_KEY))
    return commune
