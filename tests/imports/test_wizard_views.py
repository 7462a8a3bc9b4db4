"""The wizard through the test client: each step, the job, the error file, undo, and who may do it."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.models import ImportRun
from tests.factories import make_person
from tests.imports import files
from tests.imports.test_pipeline import workbook
from tests.web import form_with

ROWS = [
    ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, "Freedom House", None],
    ["Tumenova", "Bakhyt", "not an email", "KZ", None, "Aman-Saulik", None],
    ["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ", None, None, "activist"],
]


def upload(client, path, name=None):
    data = {"file": (io.BytesIO(path.read_bytes()), name or path.name)}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def people() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_upload_map_preview_import_errors_and_undo(client, auth, tmp_path):
    auth.login("editor")
    response = upload(client, workbook(tmp_path, ROWS))
    assert response.status_code == 302
    run = db.session.scalars(select(ImportRun)).one()
    assert response.headers["Location"].endswith(f"/imports/{run.id}/mapping")

    page = client.get(f"/imports/{run.id}/mapping").get_data(as_text=True)
    assert "E-mail" in page and 'selected value="email"' in page

    form = {
        f"columns-{i}": key
        for i, key in enumerate(
            ["family_name", "given_name", "email", "country", "political_group", "organisation", "tags"]
        )
    }
    form.update(on_duplicate="fill", preset="", category="", tags="seed list", source="Partner NGO list")
    response = client.post(f"/imports/{run.id}/mapping", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")

    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert 'data-count="created">2<' in preview and 'data-count="rejected">1<' in preview
    assert "not an email" in preview
    assert people() == 0  # a preview writes nothing

    response = client.post(f"/imports/{run.id}/preview", data={})
    assert response.status_code == 302
    detail = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert 'data-count="created">2<' in detail, re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", detail))[-1500:]
    assert people() == 2
    toregozhina = db.session.scalars(select(Person).where(Person.family_name == "Toregozhina")).one()
    assert sorted(tag.name for tag in toregozhina.tags) == ["activist", "seed list"]
    assert toregozhina.source == "Partner NGO list"

    progress = client.get(f"/imports/{run.id}/progress").get_json()
    assert progress == {"status": "done", "rows_done": 3, "rows_total": 3, "percent": 100}

    errors = client.get(f"/imports/{run.id}/errors.xlsx")
    assert errors.status_code == 200
    sheet = load_workbook(io.BytesIO(errors.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1:4] == ("Tumenova", "Bakhyt", "not an email") and "E-mail" in rows[1][-1]

    assert "Undo this import" in client.get(f"/imports/{run.id}/undo").get_data(as_text=True)
    response = client.post(f"/imports/{run.id}/undo", data={})
    assert response.status_code == 302
    assert people() == 0
    assert "undone" in client.get("/imports/").get_data(as_text=True)


def test_an_unreadable_upload_is_refused_on_the_form_and_kept_nowhere(client, auth, tmp_path):
    auth.login("editor")
    response = upload(client, files.word_document(tmp_path), "contacts.xlsx")
    assert response.status_code == 422
    assert "not a spreadsheet" in response.get_data(as_text=True).lower() or "cannot" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_a_workbook_with_several_sheets_asks_which(client, auth, tmp_path):
    auth.login("editor")
    response = upload(client, files.several_sheets_xlsx(tmp_path))
    assert response.headers["Location"].endswith("/sheet")


def test_viewers_may_not_import(client, auth, tmp_path):
    auth.login("viewer")
    assert client.get("/imports/").status_code == 403
    assert upload(client, workbook(tmp_path, ROWS)).status_code == 403


def test_the_mapping_can_be_saved_as_a_preset_and_chosen_next_time(client, auth, tmp_path, app):
    auth.login("editor")
    upload(client, workbook(tmp_path, ROWS))
    run = db.session.scalars(select(ImportRun)).one()
    form = {f"columns-{i}": key for i, key in enumerate(["family_name", "given_name", "email", "", "", "", "tags"])}
    form.update(on_duplicate="fill", preset="", category="NGO staff", tags="", source="", save_as="partner-list")
    assert client.post(f"/imports/{run.id}/mapping", data=form).status_code == 302

    from crm.imports.presets import load_preset

    preset = load_preset("partner-list")
    assert preset.columns["E-mail"] == "email" and preset.columns["Country"] is None
    assert preset.defaults == {"category": "NGO staff"}
    page = client.get(f"/imports/{run.id}/mapping?preset=partner-list").get_data(as_text=True)
    assert 'selected value="partner-list"' in page


def test_a_preview_being_prepared_shows_its_progress_then_the_preview(client, auth, tmp_path, monkeypatch):
    from crm.imports import previews

    queued = []
    monkeypatch.setattr(previews.jobs, "enqueue", lambda name, run_id: queued.append((name, run_id)))
    auth.login("editor")
    upload(client, workbook(tmp_path, ROWS))
    run = db.session.scalars(select(ImportRun)).one()
    form = {f"columns-{i}": key for i, key in enumerate(["family_name", "given_name", "email", "country"])}
    client.post(f"/imports/{run.id}/mapping", data=form | {"on_duplicate": "fill"})

    waiting = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert "Preparing the preview" in waiting and queued == [("import-preview", run.id)]
    client.get(f"/imports/{run.id}/preview")
    assert len(queued) == 1  # a reload does not start a second preview
    assert client.get(f"/imports/{run.id}/preview/progress").get_json() == {"ready": False, "rows_done": 0}

    previews.run_job(run.id)  # what the worker does
    assert client.get(f"/imports/{run.id}/preview/progress").get_json()["ready"] is True
    assert 'data-count="created">2<' in client.get(f"/imports/{run.id}/preview").get_data(as_text=True)


def test_warnings_and_rows_above_the_header_show_in_the_preview_and_on_the_result_page(client, auth, tmp_path):
    auth.login("editor")
    header = ["Last name", "First name", "Category"]
    rows = [["Behrendt", "Marc", "Astronaut"], ["Tumenova", "Bakhyt", "MEP"]]
    upload(client, workbook(tmp_path, rows, header=header, title="Partner list, May 2024"))
    run = db.session.scalars(select(ImportRun)).one()
    form = {f"columns-{i}": key for i, key in enumerate(["family_name", "given_name", "category"])}
    client.post(f"/imports/{run.id}/mapping", data=form | {"on_duplicate": "fill"})

    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert 'data-count="created">2<' in preview and 'data-count="skipped">1<' in preview
    assert "“Astronaut” is not a category here" in preview and "imported without a category" in preview
    assert "Above the header row: “Partner list, May 2024”." in preview

    client.post(f"/imports/{run.id}/preview", data={})
    detail = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert 'data-count="created">2<' in detail
    assert "Imported with warnings" in detail and "“Astronaut” is not a category here" in detail
    assert "Above the header row: “Partner list, May 2024”." in detail
    assert people() == 2


def test_a_row_held_back_as_maybe_an_earlier_row_can_fill_it_from_the_preview(client, auth, tmp_path):
    auth.login("editor")
    rows = [
        ["Dzhakishev", "Mukhtar", None, "KZ", None, None, None],
        ["Djakishev", "Mukhtar", "mukhtar@example.kz", "KZ", None, None, None],
    ]
    upload(client, workbook(tmp_path, rows))
    run = db.session.scalars(select(ImportRun)).one()
    columns = ["family_name", "given_name", "email", "country", "political_group", "organisation", "tags"]
    form = {f"columns-{i}": key for i, key in enumerate(columns)}
    client.post(f"/imports/{run.id}/mapping", data=form | {"on_duplicate": "fill", "preset": ""})

    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert "May be the same person as Mukhtar Dzhakishev (row 2 of this file" in preview
    assert "Fill Mukhtar Dzhakishev (row 2)'s empty fields" in preview

    client.post(f"/imports/{run.id}/preview", data={"row-3": "fill"})
    assert people() == 1
    assert db.session.scalars(select(Person)).one().primary_email == "mukhtar@example.kz"


def test_an_unchanged_export_says_there_is_nothing_to_import(client, auth, tmp_path):
    make_person("Dzhakishev", "Mukhtar", country="KZ")
    auth.login("editor")
    path = tmp_path / "people.xlsx"
    path.write_bytes(client.get("/export/people.xlsx").data)
    upload(client, path)
    run = db.session.scalars(select(ImportRun)).one()
    mapping = client.get(f"/imports/{run.id}/mapping").get_data(as_text=True)
    client.post(f"/imports/{run.id}/mapping", data=form_with(mapping, "on_duplicate").data())  # as suggested

    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert "Import 0 rows" in preview and "Nothing to import: every row is already here" in preview
