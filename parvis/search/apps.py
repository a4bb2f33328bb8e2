"""Application configuration for parvis.search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "parvis.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from parvis.core import cache_versions
        from parvis.search.database import register_sqlite_functions
        from parvis.search.models import SearchDocument

        cache_versions.track(cache_versions.SEARCH, SearchDocument)
        # SQLite has no unaccent(): the agents' ticket search gets Python's, per connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="search-sqlite")
