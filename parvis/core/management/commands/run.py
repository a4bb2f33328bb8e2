"""`parvis run`: the whole of Parvis on one machine — web server and background worker.

It migrates the database, collects static files, then starts gunicorn and the Huey
consumer as two child processes, restarts either if it dies (``parvis.core.supervisor``)
and stops both on Ctrl-C or SIGTERM.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from parvis.core.supervisor import Supervisor


class Command(BaseCommand):
    help = _("Lance Parvis : serveur web et tâches de fond, en une commande.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument(
            "--access-log", action="store_true", help=_("Journaliser chaque requête HTTP.")
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("Ne pas lancer le traitement des tâches de fond (nœud web seul)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "parvis.wsgi:application",
            "--bind",
            bind,
            "--worker-class",
            "gthread",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
        ]
        if options["access_log"]:
            web += ["--access-logfile", "-"]
        # Links in emails point at this server unless the installer set the public address.
        env = os.environ | {"PARVIS_BASE_URL": os.environ.get("PARVIS_BASE_URL", f"http://{bind}")}
        children = [("web server", web)]
        if not options["no_worker"]:
            children.append(
                ("worker", [sys.executable, "-m", "parvis.manage", "run_huey", "--quiet"])
            )
        backend = (
            "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Parvis est en service sur http://%(bind)s/ (%(backend)s)")
                % {"bind": bind, "backend": backend}
            )
        )
        self.stdout.write(
            "  "
            + _("Espace agents : %(agents)s   Administration : %(admin)s")
            % {"agents": f"http://{bind}/agents/", "admin": f"http://{bind}/admin/"}
        )
        self.stdout.write("  " + _("Ctrl-C pour arrêter."))
        Supervisor(children, env).run()
