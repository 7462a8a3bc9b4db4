"""A file that updates someone already here and creates others, with a tag new to the database (issue 12, fix 2).

The update goes through the contact services and the new people through the bulk writer; both
meet the new tag, and neither may trip on the other having created it."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.models import ImportRun
from crm.imports.pipeline import ImportOptions, run_import
from crm.taxonomy.models import Tag
from tests.factories import make_person
from tests.imports.test_pipeline import workbook

KNOWN_EMAIL = "tomas.zdechovsky@ep.europa.eu"


@pytest.fixture
def known(app):
    return make_person("Zdechovský", "Tomáš", emails=(KNOWN_EMAIL,))


def mixed_file(folder, tags: str | None = "EP-KZ 2024"):
    """Row 2 updates the person already here, rows 3 and 4 are new; all three carry `tags`."""
    return workbook(
        folder,
        [
            ["Zdechovský", "Tomáš", KNOWN_EMAIL, "CZ", None, None, tags],
            ["Štětina", "Jaromír", "jaromir.stetina@ep.europa.eu", "CZ", None, None, tags],
            ["Dzhakishev", "Mukhtar", "mukhtar@example.kz", "KZ", None, None, tags],
        ],
    )


def tagged(key: str) -> list[str]:
    db.session.expire_all()
    tags = db.session.scalars(select(Tag).where(Tag.key == key)).all()
    assert len(tags) <= 1
    if not tags:
        return []
    people = db.session.scalars(select(Person).where(Person.tags.contains(tags[0])).order_by(Person.family_name))
    return [person.family_name for person in people]


def test_the_preview_shows_the_update_and_the_new_people(known, tmp_path):
    result = run_import(mixed_file(tmp_path), ImportOptions(dry_run=True), actor=None)
    assert (result.counts["updated"], result.counts["created"], result.counts["rejected"]) == (1, 2, 0)
    assert tagged("ep-kz 2024") == []  # a dry run writes nothing


def test_the_import_tags_everyone_with_one_new_tag(known, tmp_path):
    result = run_import(mixed_file(tmp_path), ImportOptions(), actor=None)
    assert (result.counts["updated"], result.counts["created"]) == (1, 2)
    assert tagged("ep-kz 2024") == ["Dzhakishev", "Zdechovský", "Štětina"]


def test_tags_for_every_row_as_the_wizard_passes_them(known, tmp_path):
    path = mixed_file(tmp_path, tags=None)
    options = ImportOptions(defaults={"tags": "Seed list"})  # the wizard keeps the form's text
    assert run_import(path, options, actor=None).counts["created"] == 2
    assert tagged("seed list") == ["Dzhakishev", "Zdechovský", "Štětina"]


def test_tags_for_every_row_on_top_of_a_tags_column(known, tmp_path):
    result = run_import(mixed_file(tmp_path), ImportOptions(defaults={"tags": "Seed list"}), actor=None)
    assert result.counts["created"] == 2
    assert tagged("seed list") == tagged("ep-kz 2024") == ["Dzhakishev", "Zdechovský", "Štětina"]


def test_the_cli(runner, known, tmp_path):
    path = str(mixed_file(tmp_path))
    dry = runner.invoke(args=["crm", "import", path, "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert "Traceback" not in dry.output
    result = runner.invoke(args=["crm", "import", path, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["updated"], report["created"]) == (1, 2)
    assert tagged("ep-kz 2024") == ["Dzhakishev", "Zdechovský", "Štětina"]


def test_the_wizard_with_tags_for_every_row(client, auth, known, tmp_path):
    auth.login("editor")
    path = mixed_file(tmp_path, tags=None)
    data = {"file": (io.BytesIO(path.read_bytes()), path.name)}
    assert client.post("/imports/", data=data, content_type="multipart/form-data").status_code == 302
    run = db.session.scalars(select(ImportRun)).one()
    form = {
        f"columns-{i}": key
        for i, key in enumerate(
            ["family_name", "given_name", "email", "country", "political_group", "organisation", "tags"]
        )
    }
    form.update(on_duplicate="fill", preset="", category="", tags="Seed list", source="")
    response = client.post(f"/imports/{run.id}/mapping", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")

    preview = client.get(f"/imports/{run.id}/preview", follow_redirects=True).get_data(as_text=True)
    assert "unexpected error" not in preview.lower()
    assert 'data-count="created">2<' in preview and 'data-count="updated">1<' in preview

    assert client.post(f"/imports/{run.id}/preview", data={}).status_code == 302
    detail = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert 'data-count="created">2<' in detail and 'data-count="updated">1<' in detail
    assert tagged("seed list") == ["Dzhakishev", "Zdechovský", "Štětina"]
