"""`parvis load-catalog`: install the default catalogue of services and démarches, and the
default knowledge base written for it."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from parvis.catalog.actions import catalog_load_defaults
from parvis.knowledge.defaults import knowledge_load_defaults


class Command(BaseCommand):
    help = _(
        "Installe le catalogue par défaut (services, démarches, règles de routage) et les "
        "fiches de la base de connaissances. Sans effet sur l'existant : une fiche modifiée "
        "dans Parvis est gardée telle quelle."
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
        report = knowledge_load_defaults()
        self.stdout.write(
            _(
                "Base de connaissances : %(categories)s catégorie(s) et %(created)s fiche(s) "
                "ajoutées, %(updated)s fiche(s) mises à jour."
            )
            % {
                "categories": report.categories,
                "created": report.created,
                "updated": report.updated,
            }
        )
        if report.kept:
            self.stdout.write(
                _(
                    "Fiches modifiées dans Parvis, gardées telles quelles (le texte par défaut "
                    "a changé) : %(slugs)s"
                )
                % {"slugs": ", ".join(report.kept)}
            )
