"""`parvis load-demo`: a demo commune to try Parvis, and the logins to use."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.demo.actions import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = _(
        "Charge une commune de démonstration (agents, usagers, ~200 demandes). "
        "Sans effet si déjà chargée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_load(ticket_count=options["tickets"])
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Commune de démonstration chargée : %(count)s demande.",
                        "Commune de démonstration chargée : %(count)s demandes.",
                        created,
                    )
                    % {"count": created}
                )
            )
        else:
            self.stdout.write(_("Commune de démonstration déjà chargée."))
        self.stdout.write(
            "\n"
            + _("Connexions de démonstration (mot de passe : %(password)s) :")
            % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<32} {login.service}")
