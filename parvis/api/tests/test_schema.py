"""The OpenAPI schema and the browsable documentation, served without any CDN."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

# Rendering a page reads the commune's settings (context processor).
pytestmark = pytest.mark.django_db


def test_the_schema_is_served() -> None:
    response = Client().get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "API Parvis"
    assert {
        "/api/v1/tickets/",
        "/api/v1/tickets/{reference}/",
        "/api/v1/tickets/{reference}/reply/",
        "/api/v1/tickets/{reference}/notes/",
    } <= set(schema["paths"])
    create = schema["paths"]["/api/v1/tickets/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/TicketCreate"
    )
    assert "201" in create["responses"]
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token["description"].startswith("Jeton d'un agent")  # French, for our auth class


def test_the_docs_page_is_served_from_local_files() -> None:
    response = Client().get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_the_docs_start_up_script_is_served() -> None:
    response = Client().get(reverse("api:docs"), {"script": ""})

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def test_generating_the_schema_gives_no_warning(tmp_path: Path) -> None:
    output = tmp_path / "schema.yaml"

    # --fail-on-warn raises on any warning or error of the generator.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(output), stderr=StringIO()
    )

    assert "/api/v1/tickets/" in output.read_text(encoding="utf-8")


def test_swagger_ui_files_are_served_by_parvis_itself() -> None:
    html = Client().get(reverse("api:docs")).content.decode()
    bundle = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', html)

    assert bundle is not None
    response = Client().get(bundle.group(1))
    assert response.status_code == 200
