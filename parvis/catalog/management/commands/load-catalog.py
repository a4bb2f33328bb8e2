"""`parvis load-catalog`: install the default catalogue of services and démarches."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from parvis.catalog.actions import catalog_load_defaults
from parvis.workflows.actions import workflows_load_defaults


class Command(BaseCommand):
    help = _(
        "Installe le catalogue par défaut (services, démarches, règles de routage, circuits "
        "de traitement). Sans effet sur l'existant."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = catalog_load_defaults()
        self.stdout.write(
            _(
                "Catalogue : %(services)s service(s), %(request_types)s démarche(s), "
                "%(routing_rules)s règle(s) de routage ajoutés."
            )
            % created
        )
        workflows = workflows_load_defaults()
        self.stdout.write(
            _("Circuits de traitement : %(workflows)s ajouté(s), %(versions)s mis à jour.")
            % workflows
        )
