"""The default rooms and equipment: a checked file, installed by load-catalog, edits kept."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from parvis.bookings.actions import resource_load_defaults
from parvis.bookings.data import default_resources, read_resources
from parvis.bookings.models import Resource
from parvis.catalog.data import default_catalog
from parvis.core.datafiles import DataFileError


def test_every_default_resource_names_a_service_and_a_demarche_of_the_catalogue() -> None:
    catalog = default_catalog()
    services = {service.slug for service in catalog.services}
    fields = {rt.slug: {f.key: f for f in rt.fields} for rt in catalog.request_types}
    for resource in default_resources():
        assert resource.service in services
        keys = fields[resource.request_type]
        choice = keys["room" if resource.kind == "room" else "equipment"]
        # Its slug is a value of the démarche's choice of resources: the form can book it.
        assert resource.slug in {c.value for c in choice.choices}


def test_a_mistake_in_the_file_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "resources.yaml"
    path.write_text(
        "resources:\n  - {slug: salle, name: Salle, kind: piscine, service: s, request_type: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"resources\[0\]\.kind: « piscine »"):
        read_resources(path)


@pytest.mark.django_db
def test_load_catalog_installs_the_resources_and_keeps_an_administrators_edits() -> None:
    output = io.StringIO()
    call_command("load-catalog", stdout=output)
    count = len(default_resources())
    assert f"Salles et matériel : {count} ressource(s) réservable(s) ajoutée(s)." in (
        output.getvalue()
    )
    assert Resource.objects.count() == count
    room = Resource.objects.get(slug="salle-des-fetes")
    room.name = "Salle des fêtes Jean-Moulin"
    room.is_active = False
    room.save()
    Resource.objects.filter(slug="podium").delete()
    assert resource_load_defaults() == 1  # the podium, back
    room.refresh_from_db()
    assert (room.name, room.is_active) == ("Salle des fêtes Jean-Moulin", False)
