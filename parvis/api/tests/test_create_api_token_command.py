"""`parvis create-api-token`: a new key, shown once, stored as a hash; rotated on demand."""

import hashlib
import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from parvis.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create-api-token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/tickets/").status_code == 200


def test_it_creates_a_key_and_prints_it_alone_on_stdout(
    catalog: None, make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("etat-civil", username="alice")

    key, message = run("alice")

    assert re.fullmatch(r"[0-9a-f]{40}", key)
    assert ApiToken.objects.get(user=agent).key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "créé" in message and "empreinte" in message
    assert works(key)


def test_it_cannot_show_an_existing_key_again(
    catalog: None, make_agent: Callable[..., Any]
) -> None:
    make_agent("etat-civil", username="alice")
    first, _ = run("alice")

    with pytest.raises(CommandError, match="--rotate"):
        run("alice")
    assert ApiToken.objects.count() == 1
    assert works(first)


def test_rotate_replaces_the_key(catalog: None, make_agent: Callable[..., Any]) -> None:
    make_agent("etat-civil", username="alice")
    old, _ = run("alice")

    new, message = run("alice", "--rotate")

    assert new != old
    assert "l'ancien ne fonctionne plus" in message
    assert works(new) and not works(old)


def test_rotate_also_creates_a_first_key(catalog: None, make_agent: Callable[..., Any]) -> None:
    make_agent("etat-civil", username="alice")
    key, _ = run("alice", "--rotate")
    assert works(key)


def test_it_refuses_an_unknown_user_in_french() -> None:
    with pytest.raises(
        CommandError, match=re.escape("Aucun compte ne porte l'identifiant « personne ».")
    ):
        run("personne")


def test_it_refuses_a_deactivated_user(catalog: None, make_agent: Callable[..., Any]) -> None:
    agent = make_agent("etat-civil", username="alice")
    User.objects.filter(pk=agent.pk).update(is_active=False)

    with pytest.raises(CommandError, match="désactivé"):
        run("alice")
    assert not ApiToken.objects.exists()


def test_it_warns_when_the_user_belongs_to_no_service() -> None:
    User.objects.create_user(username="bob", password="motdepasse-test")

    key, message = run("bob")

    assert key
    assert "membre d'aucun service" in message
