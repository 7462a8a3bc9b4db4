"""Organisation, outreach and response exports: their columns and their filters."""

from __future__ import annotations

from datetime import datetime

from crm.contacts.search import OrganisationFilter
from crm.exports import outreach_rows, service
from crm.exports.organisation_rows import organisation_filter_from_args
from crm.outreach.search import OutreachFilter
from crm.taxonomy.service import type_by_code
from tests.exports.conftest import read_csv, read_xlsx
from tests.factories import make_outreach


def exported(tmp_path, kind: str, fmt: str = "xlsx", **options):
    path = tmp_path / f"{kind}.{fmt}"
    count = service.export(kind, fmt, actor=None, destination=path, **options)
    data = path.read_bytes()
    return (count, *read_xlsx(data)) if fmt == "xlsx" else (count, *read_csv(data))


def test_organisations(app, sample, tmp_path):
    count, sheet, header, rows = exported(tmp_path, "organisations")
    assert count == len(rows) == 9
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P10"
    assert header[:3] == ["ID", "Name", "Short name"]
    epp = next(row for row in rows if row["Short name"].value == "EPP")
    assert epp["ID"].data_type == "n" and epp["ID"].value == sample["epp"].id
    assert epp["Type"].value == "Political group"
    kazatomprom = next(row for row in rows if row["Name"].value == "Kazatomprom")
    assert (kazatomprom["Country"].value, kazatomprom["Type"].value) == ("Kazakhstan", "Company")


def test_organisation_filters(app, sample, tmp_path):
    filters = OrganisationFilter(type_id=type_by_code("political_group").id)
    _, _, _, rows = exported(tmp_path, "organisations", filters=filters)
    assert [row["Short name"].value for row in rows] == ["EPP", "Greens/EFA", "S&D"]
    _, _, _, rows = exported(tmp_path, "organisations", campaign_id=sample["campaign"].id)
    assert [row["Name"].value for row in rows] == ["Kazatomprom"]
    assert organisation_filter_from_args({"country": "kz", "sort": "bogus", "type_id": "x"}) == OrganisationFilter(
        country="KZ"
    )


def test_outreach(app, sample, tmp_path):
    count, sheet, header, rows = exported(tmp_path, "outreach")
    assert count == 6 and header == [column.label for column in outreach_rows.OUTREACH_COLUMNS]
    letter = next(row for row in rows if row["ID"].value == sample["letter"].id)
    assert letter["Date"].is_date and letter["Date"].value == datetime(2017, 10, 11)
    assert letter["Follow-up"].value == datetime(2017, 12, 1)
    assert (letter["Kind"].value, letter["Campaign"].value) == ("Letter", "Free Mukhtar Dzhakishev")
    assert letter["From"].value == "Tomáš Zdechovský"
    assert letter["To"].value == "Mukhtar Dzhakishev; Kazatomprom"
    # He is Kazatomprom's president, so his reply answers for it too.
    assert (letter["Recipients"].value, letter["Replied"].value) == (2, 2)
    assert letter["Recipients"].data_type == "n"


def test_outreach_filters_and_campaign(app, sample, tmp_path):
    _, _, _, rows = exported(tmp_path, "outreach", campaign_id=sample["campaign"].id)
    assert [row["Subject"].value for row in rows] == [
        "Letter to F", "Email to D and E", "Letter to the Prosecutor General", "Letter to MEPs"
    ]  # fmt: skip
    _, _, _, rows = exported(tmp_path, "outreach", campaign_id=sample["other_campaign"].id)
    assert [row["Subject"].value for row in rows] == ["Email to B"]
    _, _, _, rows = exported(tmp_path, "outreach", filters=OutreachFilter(q="unrelated"))
    assert [row["Subject"].value for row in rows] == ["Unrelated note"]


def test_long_recipient_lists_are_cut_with_the_total(app, sample, tmp_path, monkeypatch):
    monkeypatch.setattr(outreach_rows, "NAMES_PER_CELL", 1)
    _, _, rows = exported(tmp_path, "outreach", "csv", filters=OutreachFilter(q="prosecutor"))
    assert rows[0]["To"] == "Mukhtar Dzhakishev … (2 in all)"


def test_responses(app, sample, tmp_path):
    make_outreach("Another campaign's letter", to=[sample["mep"]])
    count, _, header, rows = exported(tmp_path, "responses")
    assert count == 5 and header == [column.label for column in outreach_rows.RESPONSE_COLUMNS]
    [reply] = [row for row in rows if row["ID"].value == sample["reply"].id]
    assert reply["ID"].value == sample["reply"].id
    assert reply["Outreach ID"].value == sample["letter"].id
    assert reply["Received"].is_date and reply["Received"].value == datetime(2017, 11, 20)
    assert (reply["Person ID"].value, reply["Person"].value) == (sample["prisoner"].id, "Mukhtar Dzhakishev")
    assert (reply["Outcome"].value, reply["Channel"].value) == ("Acknowledged only", "Letter")
    assert reply["Summary"].value == "Thanks for the letter."
    assert reply["Campaign"].value == "Free Mukhtar Dzhakishev"


def test_responses_follow_the_outreach_filters(app, sample, tmp_path):
    count, _, _ = exported(tmp_path, "responses", "csv", filters=OutreachFilter(q="unrelated"))
    assert count == 0
    count, _, rows = exported(tmp_path, "responses", "csv", campaign_id=sample["campaign"].id)
    assert count == 5  # newest first
    assert [row["Received"] for row in rows] == ["2018-05-15", "2017-11-20", "2017-11-20", "2017-11-11", "2017-10-16"]
    count, _, _ = exported(tmp_path, "responses", "csv", campaign_id=sample["other_campaign"].id)
    assert count == 0


def test_an_empty_list_still_has_its_header(app, tmp_path):
    for kind in service.KINDS:
        count, sheet, header, rows = exported(tmp_path, kind)
        assert count == 0 and rows == [] and header and sheet.freeze_panes == "A2"
