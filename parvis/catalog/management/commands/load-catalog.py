"""`parvis load-catalog`: install the default catalogue of services and démarches."""

from typing import Any

from django.core.management.base import BaseCommand

from parvis.catalog.actions import catalog_load_defaults


class Command(BaseCommand):
    help = (
        "Installe le catalogue par défaut (services, démarches, règles de routage). "
        "Sans effet sur l'existant."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = catalog_load_defaults()
        self.stdout.write(
            f"Catalogue : {created['services']} service(s), "
            f"{created['request_types']} démarche(s), "
            f"{created['routing_rules']} règle(s) de routage ajoutés."
        )
