"""A NUL byte in an address names nothing: 404 on every URL of the project, on both databases.

PostgreSQL refuses a text holding NUL (psycopg raises ValueError): a lookup with such a
value was a 500 (``/suivi/%00/``, ``/api/v1/tickets/%00/``). Every pattern is walked, its
parameters given a NUL, as a visitor, an agent and with a query string holding one.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db
NUL = "%00"


def _sample(pattern: Any) -> str:
    """The pattern's address with a NUL for each parameter (a number where one is needed)."""
    text = str(pattern)
    text = re.sub(r"\(\?P<\w+>[^)]*\)", NUL, text)  # named groups of regular expressions
    text = re.sub(r"<int:\w+>", "1", text)  # a NUL can never match it: try the others
    text = re.sub(r"<(?:\w+:)?\w+>", NUL, text)  # path converters
    return text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")


def project_urls(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "/"
) -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from project_urls(pattern.url_patterns, prefix + _sample(pattern.pattern))
        else:
            yield prefix + _sample(pattern.pattern)


def addresses() -> list[str]:
    """Every URL with NUL parameters, and every URL with a NUL in its query string."""
    urls = sorted(set(project_urls()))
    return [url for url in urls if NUL in url] + [f"{url}?q={NUL}&page=1" for url in urls]


def test_the_walk_covers_the_urls_of_the_attack() -> None:
    assert {"/suivi/%00/", "/api/v1/tickets/%00/", "/agents/demandes/%00/"} <= set(addresses())
    assert "/agents/?q=%00&page=1" in addresses()


@pytest.mark.parametrize("as_agent", [False, True], ids=["visitor", "agent"])
def test_every_url_with_a_nul_byte_is_a_404(
    catalog: None, make_agent: Any, make_ticket: Any, as_agent: bool
) -> None:
    make_ticket("nid-de-poule")
    client = Client(raise_request_exception=False)
    if as_agent:
        client.force_login(make_agent("services-techniques", is_superuser=True, is_staff=True))

    answers = {
        (method, url): getattr(client, method)(url).status_code
        for url in addresses()
        for method in ("get", "post")
    }

    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_a_session_cookie_with_a_nul_byte_is_ignored(catalog: None) -> None:
    client = Client(raise_request_exception=False)
    nul_key = '"' + "\\000" * 32 + '"'  # a quoted cookie value: Django unquotes the octal

    response = client.get("/agents/", HTTP_COOKIE=f"sessionid={nul_key}")

    assert response.status_code == 302  # to the login page, as without a session
