"""`parvis load-demo`: a demo commune to try Parvis, and the logins to use."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parvis.demo.actions import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = (
        "Charge une commune de démonstration (agents, usagers, ~200 demandes). "
        "Sans effet si déjà chargée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_load(ticket_count=options["tickets"])
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Commune de démonstration chargée : {created} demandes.")
            )
        else:
            self.stdout.write("Commune de démonstration déjà chargée.")
        self.stdout.write(f"\nConnexions de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<32} {login.service}")
