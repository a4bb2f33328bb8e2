"""`parvis create-api-token IDENTIFIANT [--rotate]`: a new API key for an agent.

The key alone goes to standard output, so that a script can capture it; explanations go to
standard error. Only its hash is kept: it is shown this once.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from parvis.accounts.actions import api_token_issue
from parvis.accounts.models import User
from parvis.tickets.selectors import member_service_ids


class Command(BaseCommand):
    help = _(
        "Crée le jeton d'API d'un agent et l'affiche une seule fois ; --rotate le remplace. "
        "L'application l'envoie dans l'en-tête « Authorization: Token <jeton> »."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help=_("Identifiant de connexion de l'agent."))
        parser.add_argument(
            "--rotate",
            action="store_true",
            help=_("Remplacer le jeton existant : l'ancien cesse aussitôt de fonctionner."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        named = {"username": username}
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Aucun compte ne porte l'identifiant « %(username)s ».") % named)
        if not user.is_active:
            raise CommandError(
                _("Le compte « %(username)s » est désactivé : pas de jeton d'API.") % named
            )
        key = api_token_issue(user=user, rotate=options["rotate"])
        if key is None:
            raise CommandError(
                _(
                    "« %(username)s » a déjà un jeton d'API. Parvis n'en garde que l'empreinte et "
                    "ne peut pas le réafficher : --rotate en crée un nouveau (l'ancien cesse "
                    "aussitôt de fonctionner)."
                )
                % named
            )
        if options["rotate"]:
            self.stderr.write(
                _("Nouveau jeton d'API pour « %(username)s » (l'ancien ne fonctionne plus) :")
                % named
            )
        else:
            self.stderr.write(_("Jeton d'API créé pour « %(username)s » :") % named)
        self.stderr.write(_("Notez-le maintenant : Parvis n'en garde que l'empreinte."))
        if not user.is_superuser and not member_service_ids(user):
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Attention : ce compte n'est membre d'aucun service ; "
                        "l'API lui répondra 403."
                    )
                )
            )
        self.stdout.write(key)
