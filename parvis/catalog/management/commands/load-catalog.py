"""`parvis load-catalog`: install the default catalogue of services and démarches, the
default knowledge base written for it, and the default rooms and equipment to book."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from parvis.bookings.actions import resource_load_defaults
from parvis.catalog.actions import catalog_load_defaults
from parvis.knowledge.defaults import knowledge_load_defaults
from parvis.workflows.actions import workflows_load_defaults


class Command(BaseCommand):
    help = _(
        "Installe le catalogue par défaut (services, démarches, règles de routage, circuits "
        "de traitement, salles et matériel à réserver) et les fiches de la base de "
        "connaissances. Sans effet sur l'existant : une fiche modifiée dans Parvis est "
        "gardée telle quelle."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = catalog_load_defaults()
        resources = resource_load_defaults()  # on the services and démarches just installed
        # One line, as before the resources: what a script reading the output looks for.
        self.stdout.write(
            _(
                "Catalogue : %(services)s service(s), %(request_types)s démarche(s), "
                "%(routing_rules)s règle(s) de routage ajoutés."
            )
            % created
            + " "
            + _("Salles et matériel : %(count)s ressource(s) réservable(s) ajoutée(s).")
            % {"count": resources}
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
        workflows = workflows_load_defaults()
        self.stdout.write(
            _("Circuits de traitement : %(workflows)s ajouté(s), %(versions)s mis à jour.")
            % workflows
        )
