"""What the mail tests share: a pothole report whose acknowledgement is already out, and an
agent of its service."""

from typing import Any

import pytest

from parvis.tickets.models import Ticket


@pytest.fixture
def agent(make_agent: Any) -> Any:
    return make_agent("services-techniques", first_name="Paul", last_name="Durand")


@pytest.fixture
def pothole(make_ticket: Any, mailoutbox: list[Any]) -> Ticket:
    ticket: Ticket = make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")
    mailoutbox.clear()
    return ticket
