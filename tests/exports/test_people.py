"""People export: the columns, their types, the filters, and a few queries per chunk."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event, update

from crm.contacts.models import Person
from crm.contacts.people import set_archived
from crm.contacts.search import PeopleFilter
from crm.contacts.sheet_fields import BY_KEY
from crm.exports import people_rows, service
from crm.extensions import db
from crm.imports.read import read_sheet
from tests.exports.conftest import read_csv, read_xlsx
from tests.factories import make_person


def export_bytes(tmp_path, fmt: str = "xlsx", **options) -> bytes:
    path = tmp_path / f"people.{fmt}"
    service.export("people", fmt, actor=None, destination=path, **options)
    return path.read_bytes()


def test_xlsx_has_frozen_header_autofilter_widths_and_typed_cells(app, sample, tmp_path):
    sheet, header, rows = read_xlsx(export_bytes(tmp_path))

    assert header == [BY_KEY[key].label for key in people_rows.PEOPLE_KEYS]
    assert sheet.title == "People"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:AC{len(rows) + 1}"
    assert 6 <= sheet.column_dimensions["A"].width < 12  # ids are narrow
    assert sheet.column_dimensions["S"].width > 20  # notes are wide
    mep = next(row for row in rows if row["ID"].value == sample["mep"].id)
    assert mep["ID"].data_type == "n" and isinstance(mep["ID"].value, int)
    assert mep["Role start"].is_date and mep["Role start"].value == datetime(2014, 7, 1)
    assert mep["Role start"].number_format == "yyyy-mm-dd"
    assert mep["Given name"].data_type == "s"


def test_person_row_holds_every_main_field(app, sample, tmp_path):
    _, _, rows = read_xlsx(export_bytes(tmp_path))
    values = {row["ID"].value: {label: cell.value for label, cell in row.items()} for row in rows}
    mep = values[sample["mep"].id]

    assert mep["External ID"] == "ep:124831"
    assert (mep["Honorific"], mep["Given name"], mep["Family name"]) == ("Mr", "Tomáš", "Zdechovský")
    assert mep["Email"] == "tomas.zdechovsky@europarl.europa.eu"
    assert mep["Other emails"] == "tomas@example.cz"
    # Phones start with "+", so they carry the neutralising apostrophe like any such cell.
    assert (mep["Phone"], mep["Mobile"]) == ("'+32 2 284 57 32", "'+420 777 123 456")
    assert (mep["Street"], mep["Postcode"], mep["City"]) == ("Rue Wiertz 60", "1047", "Brussels")
    assert (mep["Country"], mep["Languages"]) == ("Czechia", "Czech, English")
    assert (mep["Category"], mep["Tags"]) == ("MEP", "Belarus, Urgent")
    assert (mep["Notes"], mep["Source"], mep["Lawful basis"]) == (
        "Asked the Commission twice.",
        "EP list",
        "Legitimate interests",  # in words; the importer reads them back to the code
    )
    # Groups, parties and committees have their own columns; "Organisation" is the rest.
    assert (mep["Organisation"], mep["Role"]) == ("European Parliament", "Member")
    assert (mep["Political group"], mep["National party"], mep["Committees"]) == ("EPP", "TOP 09", "LIBE")
    assert mep["Delegation"] is None

    prisoner = values[sample["prisoner"].id]
    assert prisoner["Name in native script"] == "Мухтар Джакишев"
    assert (prisoner["Organisation"], prisoner["Role"]) == ("Open Dialogue Foundation", "Friend")
    assert prisoner["Role start"] == datetime(2020, 5, 1)
    assert prisoner["Role end"] is None

    bare = values[sample["bare"].id]
    assert bare["Family name"] == "Nobody"
    assert all(bare[label] is None for label in ("Email", "Country", "Category", "Organisation", "Role start"))


def test_csv_has_the_same_rows_with_iso_dates(app, sample, tmp_path):
    header, rows = read_csv(export_bytes(tmp_path, "csv"))
    assert header == [BY_KEY[key].label for key in people_rows.PEOPLE_KEYS]
    by_id = {row["ID"]: row for row in rows}
    mep = by_id[str(sample["mep"].id)]
    assert mep["Role start"] == "2014-07-01"
    assert mep["Family name"] == "Zdechovský"
    assert mep["Phone"] == "'+32 2 284 57 32"
    assert by_id[str(sample["bare"].id)]["Email"] == ""


def test_the_importers_reader_reads_both_files_back(app, sample, tmp_path):
    for fmt in ("xlsx", "csv"):
        path = tmp_path / f"round.{fmt}"
        service.export("people", fmt, actor=None, destination=path)
        with read_sheet(path) as sheet:
            rows = [row.cells for row in sheet.rows]
        assert rows[0] == [BY_KEY[key].label for key in people_rows.PEOPLE_KEYS], fmt
        first = dict(zip(rows[0], rows[1], strict=False))
        assert first["Family name"] == "Adler", fmt
        assert len(rows) == 1 + 9, fmt


def test_the_lists_filters_and_order_apply(app, sample, tmp_path):
    def exported(**filters) -> list[str]:
        _, _, rows = read_xlsx(export_bytes(tmp_path, filters=PeopleFilter(**filters)))
        return [row["Family name"].value for row in rows]

    everyone = ["Adler", "Brandt", "Chevalier", "Dupont", "Dzhakishev", "Ewa", "Fijalkowski", "Nobody", "Zdechovský"]
    assert exported() == everyone  # sorted by name, as the list
    assert exported(sort="-name") == everyone[::-1]
    assert exported(country="KZ") == ["Dzhakishev"]
    assert exported(q="zdechovsky") == ["Zdechovský"]
    assert exported(political_group_id=sample["epp"].id) == ["Adler", "Brandt", "Zdechovský"]
    set_archived(sample["bare"], True, actor=None)
    db.session.commit()
    assert exported() == [name for name in everyone if name != "Nobody"]
    assert exported(archived="all") == everyone


def test_campaign_keeps_the_people_on_its_outreach(app, sample, tmp_path):
    def family_names(campaign) -> list[str]:
        _, _, rows = read_xlsx(export_bytes(tmp_path, campaign_id=campaign.id))
        return sorted(row["Family name"].value for row in rows)

    # Recipients, signatories and authors alike; only Nobody, on no campaign's outreach, is left out.
    assert family_names(sample["campaign"]) == [
        "Adler", "Brandt", "Chevalier", "Dupont", "Dzhakishev", "Ewa", "Fijalkowski", "Zdechovský"
    ]  # fmt: skip
    assert family_names(sample["other_campaign"]) == ["Brandt"]


def test_queries_do_not_grow_with_the_number_of_people(app, sample, tmp_path):
    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            export_bytes(tmp_path, "csv")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements()
    for number in range(40):
        make_person(f"Extra{number}", "Person", emails=(f"extra{number}@example.org",))
    assert statements() == few


def test_chunks_join_up(app, sample, tmp_path, monkeypatch):
    monkeypatch.setattr(people_rows, "CHUNK", 2)
    for number in range(5):
        make_person(f"Chunk{number}", "Person", emails=(f"chunk{number}@example.org",))
    _, _, rows = read_xlsx(export_bytes(tmp_path))
    assert len(rows) == 9 + 5
    assert len({row["ID"].value for row in rows}) == 9 + 5
    assert all(row["Email"].value for row in rows if row["Family name"].value.startswith("Chunk"))


def test_languages_are_written_as_names(app, sample, tmp_path):
    db.session.execute(update(Person).where(Person.id == sample["prisoner"].id).values(languages="ru,kk"))
    db.session.commit()
    _, rows = read_csv(export_bytes(tmp_path, "csv"))
    prisoner = next(row for row in rows if row["ID"] == str(sample["prisoner"].id))
    assert prisoner["Languages"] == "Russian, Kazakh"
    # A role that ends next month is still current, with its end date.
    assert date.fromisoformat(prisoner["Role start"]) == date(2020, 5, 1)


def test_every_country_and_language_name_maps_back_to_its_code():
    import pycountry

    from crm.values import (
        country_choices,
        country_name,
        language_names,
        normalise_country,
        normalise_languages,
    )

    assert all(normalise_country(country_name(code)) == code for code, _ in country_choices())
    codes = [language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")]
    assert all(normalise_languages(language_names(code)) == [code] for code in codes)
