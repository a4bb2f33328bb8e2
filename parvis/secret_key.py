"""The secret key: from the environment, else the one `parvis run` wrote in the data folder.

There is no default key: a key published with the code would sign the sessions and CSRF
tokens of every installation that kept it. ``SECRET_KEY`` (or ``SECRET_KEY_FILE``) wins;
without it, `parvis run` generates a key into ``PARVIS_DATA_DIR/secret_key`` on its first
start and every later start, and every process reading the same folder, reuses it. A
production start (``DEBUG`` off, not the demo commune) with no key or a known one stops
with a message saying what to do (docs/configuration.md).
"""

import os
from pathlib import Path

KEY_FILE_NAME = "secret_key"
# Keys that were published: the default of earlier versions, and Django's startproject one.
KNOWN_KEYS = frozenset({"parvis-insecure-development-key-change-me-in-production"})
KNOWN_PREFIX = "django-insecure-"
# Django's own measure of a strong key (security.W009): long, and not one character repeated.
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def read_key_file(data_dir: Path) -> str:
    """The key `parvis run` generated in the data folder, or "" if there is none."""
    try:
        return (data_dir / KEY_FILE_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def create_key_file(data_dir: Path) -> str:
    """Write a new random key into the data folder (readable by its owner only) and return it.

    Two starts at once write one key: the file is created exclusively, and the loser reads
    the winner's.
    """
    from django.core.management.utils import get_random_secret_key

    path = data_dir / KEY_FILE_NAME
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_key_file(data_dir)
    key = get_random_secret_key()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


def is_weak(key: str) -> bool:
    """Empty, published, or too short to resist guessing."""
    return (
        not key
        or key in KNOWN_KEYS
        or key.startswith(KNOWN_PREFIX)
        or len(key) < MIN_LENGTH
        or len(set(key)) < MIN_UNIQUE_CHARACTERS
    )


def production_refusal() -> str | None:
    """Why this start must not serve, or None: in production, no key or a weak one.

    Production is ``DEBUG`` off and a database without the demo commune (whose passwords
    are published anyway). Called once Django is set up (wsgi.py, `parvis run`).
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.translation import gettext as _

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key = ""
    if settings.DEBUG or not is_weak(key) or _is_demo():
        return None
    if not key:
        return _(
            "Aucune clé secrète : Parvis refuse de démarrer en production. Définissez "
            "SECRET_KEY (ou SECRET_KEY_FILE) : 50 caractères aléatoires, que donne par exemple "
            "« python3 -c 'import secrets; print(secrets.token_urlsafe(50))' ». Ou lancez "
            "Parvis une première fois avec « parvis run », qui en crée une dans %(path)s."
        ) % {"path": Path(settings.DATA_DIR) / KEY_FILE_NAME}
    return _(
        "La clé secrète (SECRET_KEY) est connue ou trop courte : Parvis refuse de démarrer en "
        "production. Remplacez-la par 50 caractères aléatoires (voir docs/configuration.md) ; "
        "les agents devront se reconnecter."
    )


def refuse_insecure_start() -> None:
    """Raise ImproperlyConfigured with the reason if this start must not serve."""
    from django.core.exceptions import ImproperlyConfigured

    if reason := production_refusal():
        raise ImproperlyConfigured(reason)


def _is_demo() -> bool:
    from django.db import DatabaseError

    from parvis.accounts.selectors import demo_accounts_exist

    try:
        return demo_accounts_exist()
    except DatabaseError:  # not migrated yet: no demo either
        return False
