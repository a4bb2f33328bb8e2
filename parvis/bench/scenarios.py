"""What the load sends: varied, valid requests taken from the default catalogue and the demo corpus.

No Django: the catalogue and the corpus are data files, read without it.
Only démarches without a required file are used (neither client sends files).
"""

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parvis.catalog.data import RequestTypeDefinition, default_catalog
from parvis.catalog.vocabulary import FieldKind, Visibility
from parvis.core.text import normalize
from parvis.demo.data import Location, demo_corpus

FREE_TEXT_SHARE = 0.2  # API calls without a démarche: routed by keywords, else to the triage queue
KNOWN_REQUESTER_SHARE = 0.4  # requests from someone who already filed one


@dataclass(frozen=True)
class Submission:
    """One request as a citizen (or an application) would file it."""

    slug: str  # "" for free text
    subject: str
    description: str
    fields: dict[str, object]
    location: Location | None
    name: str
    email: str
    phone: str


def _types_without_required_files(*, public_only: bool) -> list[RequestTypeDefinition]:
    types = []
    for definition in default_catalog().request_types:
        if public_only and definition.visibility != Visibility.PUBLIC:
            continue
        if any(f.kind == FieldKind.FILE and f.required for f in definition.fields):
            continue
        types.append(definition)
    return types


class Generator:
    """Draws submissions; ``known_emails`` are requesters already in the database."""

    def __init__(self, *, seed: int, known_emails: Sequence[str], public_only: bool) -> None:
        self.rng = random.Random(seed)
        self.known_emails = list(known_emails)
        self.types = _types_without_required_files(public_only=public_only)
        self.counter = 0

    def requester(self) -> tuple[str, str, str]:
        rng = self.rng
        self.counter += 1
        corpus = demo_corpus()
        first, last = rng.choice(corpus.first_names), rng.choice(corpus.last_names)
        name = f"{first} {last}"
        phone = "07 " + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        if self.known_emails and rng.random() < KNOWN_REQUESTER_SHARE:
            return name, rng.choice(self.known_emails), ""
        local = f"{normalize(first)}.{normalize(last)}".replace(" ", "-")
        email = f"{local}.bench{rng.randint(0, 10**9)}.{self.counter}@courriel.example"
        if rng.random() < 0.1:
            return name, "", phone
        return name, email, phone if rng.random() < 0.4 else ""

    def submission(self, *, free_text_share: float = 0.0) -> Submission:
        rng = self.rng
        name, email, phone = self.requester()
        if rng.random() < free_text_share:
            message = rng.choice(demo_corpus().free_text_emails)
            return Submission("", message.subject, message.body, {}, None, name, email, phone)
        definition = rng.choice(self.types)
        # The corpus is checked against this catalogue: each démarche has scenarios, whose
        # values are for its fields, none of them a file.
        scenario = rng.choice(demo_corpus().scenarios_for(definition.slug))
        fields: dict[str, object] = {}
        location = None
        for key, value in scenario.fields:
            if isinstance(value, Location):
                location = value
                fields[key] = value.address
            else:
                fields[key] = value
        return Submission(
            definition.slug,
            scenario.subject,
            scenario.description,
            fields,
            location,
            name,
            email,
            phone,
        )


def api_body(submission: Submission) -> bytes:
    """The JSON an application POSTs to ``/api/v1/tickets/``."""
    body: dict[str, Any] = {
        "subject": submission.subject,
        "description": submission.description,
        "requester": {
            "name": submission.name,
            "email": submission.email,
            "phone": submission.phone,
        },
    }
    if submission.slug:
        body["request_type"] = submission.slug
        body["fields"] = submission.fields
    if submission.location:
        body["location"] = {
            "address": submission.location.address,
            "lat": submission.location.lat,
            "lon": submission.location.lon,
        }
    return json.dumps(body).encode()


def portal_fields(submission: Submission, csrf_token: str) -> list[tuple[str, str]]:
    """The urlencoded fields a browser sends from ``/demarches/<slug>/`` (no files)."""
    fields = [
        ("csrfmiddlewaretoken", csrf_token),
        ("name", submission.name),
        ("email", submission.email),
        ("phone", submission.phone),
        ("association_name", ""),
        ("subject", submission.subject),
        ("description", submission.description),
        ("consent", "on"),
    ]
    fields += [(f"f-{key}", str(value)) for key, value in submission.fields.items()]
    return fields
