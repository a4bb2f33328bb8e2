"""`parvis run`: the whole of Parvis on one machine — web server and background worker.

It migrates the database, collects static files, then starts gunicorn and the Huey
consumer as child processes — with the SMTP endpoint of incoming mail, and the IMAP poller
when an address of the mairie has an IMAP server —, restarts any that dies
(``parvis.core.supervisor``) and stops them all on Ctrl-C or SIGTERM.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from parvis.core.supervisor import Supervisor
from parvis.env import env_str
from parvis.mailin.imap import imap_mailboxes
from parvis.secret_key import KEY_FILE_NAME, create_key_file, production_refusal, read_key_file

MAIL_SERVE = [sys.executable, "-m", "parvis.manage", "mail", "serve"]
MAIL_POLL = [sys.executable, "-m", "parvis.manage", "mail", "poll"]


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
            "--mail-port",
            type=int,
            default=int(os.environ.get("PARVIS_MAIL_PORT", "2525")),
            help=_("Port du point d'entrée SMTP du courrier entrant (0 : ne pas le lancer)."),
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("Ne pas lancer le traitement des tâches de fond (nœud web seul)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._secret_key()
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
        # The poller hands what it takes to the worker: it runs where the worker runs.
        polls = not options["no_worker"] and imap_mailboxes().exists()
        if polls:
            children.append(("mail poller", MAIL_POLL))
        mail_port = options["mail_port"]
        if mail_port:
            children.append(
                (
                    "mail endpoint",
                    [*MAIL_SERVE, "--host", options["host"], "--port", str(mail_port)],
                )
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
        if mail_port:
            self.stdout.write(
                "  "
                + _("Courrier entrant : SMTP sur %(host)s:%(port)d (swaks, ou tout client)")
                % {"host": options["host"], "port": mail_port}
            )
        if polls:
            self.stdout.write("  " + _("Courrier entrant : relève des boîtes IMAP"))
        self.stdout.write("  " + _("Ctrl-C pour arrêter."))
        Supervisor(children, env).run()

    def _secret_key(self) -> None:
        """First start without SECRET_KEY: generate one into the data folder, reused from then
        on (the children read it there); a weak key in production stops here."""
        data_dir = settings.DATA_DIR
        if not (env_str("SECRET_KEY") or read_key_file(data_dir)):
            settings.SECRET_KEY = create_key_file(data_dir)
            self.stdout.write(
                _("Clé secrète créée dans %(path)s : gardez ce fichier, ne le publiez pas.")
                % {"path": data_dir / KEY_FILE_NAME}
            )
        if reason := production_refusal():
            raise CommandError(reason)
