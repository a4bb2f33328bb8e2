"""`parvis create-api-token`: an agent's token, created once, shown again, rotated on demand."""

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from parvis.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create-api-token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_creates_a_token_and_prints_it_alone_on_stdout(
    catalog: None, make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("etat-civil", username="alice")

    key, message = run("alice")

    assert key == Token.objects.get(user=agent).key
    assert "créé" in message


def test_it_prints_the_existing_token_again(catalog: None, make_agent: Callable[..., Any]) -> None:
    make_agent("etat-civil", username="alice")
    first, _ = run("alice")

    second, message = run("alice")

    assert second == first
    assert "--rotate" in message
    assert Token.objects.count() == 1


def test_rotate_replaces_the_token(catalog: None, make_agent: Callable[..., Any]) -> None:
    agent = make_agent("etat-civil", username="alice")
    old, _ = run("alice")

    new, message = run("alice", "--rotate")

    assert new != old
    assert Token.objects.get(user=agent).key == new
    assert "l'ancien ne fonctionne plus" in message


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
    assert not Token.objects.exists()


def test_it_warns_when_the_user_belongs_to_no_service() -> None:
    User.objects.create_user(username="bob", password="motdepasse-test")

    key, message = run("bob")

    assert key
    assert "membre d'aucun service" in message
