"""What the load sends: varied, valid requests taken from the default catalogue and the demo corpus.

No Django: the catalogue is a data file read without it, the corpus a plain Python module.
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
from parvis.demo import corpus

FREE_TEXT_SHARE = 0.2  # API calls without a démarche: routed by keywords, else to the triage queue
KNOWN_REQUESTER_SHARE = 0.4  # requests from someone who already filed one


@dataclass(frozen=True)
class Submission:
    """One request as a citizen (or an application) would file it."""

    slug: str  # "" for free text
    subject: str
    description: str
    fields: dict[str, object]
    location: dict[str, Any] | None
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
        first, last = rng.choice(corpus.FIRST_NAMES), rng.choice(corpus.LAST_NAMES)
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
            message = rng.choice(corpus.FREE_TEXT_EMAILS)
            return Submission("", message["subject"], message["body"], {}, None, name, email, phone)
        definition = rng.choice(self.types)
        kinds = {f.key: f.kind for f in definition.fields}
        scenario = rng.choice(corpus.SCENARIOS[definition.slug])
        fields: dict[str, object] = {}
        location = None
        for key, value in scenario.get("fields", {}).items():
            if key not in kinds or kinds[key] == FieldKind.FILE:
                continue
            if isinstance(value, dict):
                location = value
                value = value["address"]
            fields[key] = value
        return Submission(
            definition.slug,
            scenario["subject"][:200],
            scenario["description"],
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
            "address": submission.location["address"],
            "lat": submission.location.get("lat"),
            "lon": submission.location.get("lon"),
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
