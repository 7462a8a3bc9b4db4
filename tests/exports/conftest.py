"""The export tests' contacts (the shared sample world and a few of their own), and readers for what the
exports write."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest

from crm.contacts.data import AddressData, PhoneData
from crm.contacts.models import ExternalId
from crm.extensions import db
from crm.timeutil import today
from tests.factories import (
    category_id,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
    make_role,
)


@pytest.fixture
def sample(sample_world):
    """The shared sample world (six MEPs and PACE deputies on the campaign's outreach), and of our own two
    people with everything filled in, one with nothing, and what links them."""
    parliament, epp, campaign = sample_world.parliament, sample_world.epp, sample_world.campaign
    top09 = make_organisation("TOP 09", type_code="national_party", country="CZ")
    libe = make_organisation(
        "Committee on Civil Liberties, Justice and Home Affairs", short_name="LIBE", type_code="committee"
    )
    kazatomprom = make_organisation("Kazatomprom", country="KZ", type_code="company")
    odf = make_organisation("Open Dialogue Foundation", short_name="ODF", type_code="ngo", country="PL")

    mep = make_person(
        "Zdechovský",
        "Tomáš",
        emails=("tomas.zdechovsky@europarl.europa.eu", "tomas@example.cz"),
        honorific="Mr",
        country="CZ",
        languages=["cs", "en"],
        category_id=category_id("MEP"),
        tags=["Urgent", "Belarus"],
        notes="Asked the Commission twice.",
        source="EP list",
        phones=[PhoneData("+32 2 284 57 32", "office", True), PhoneData("+420 777 123 456", "Mobile")],
        addresses=[AddressData(street="Rue Wiertz 60", postcode="1047", city="Brussels", country="BE")],
    )
    make_role(mep, parliament, "Member", date(2014, 7, 1))
    make_role(mep, epp, "Member", date(2014, 7, 1))
    make_role(mep, top09, "Member", date(2010, 1, 1))
    make_role(mep, libe, "Substitute", date(2019, 7, 2))
    make_role(mep, odf, "Adviser", date(2009, 1, 1), date(2012, 1, 1))  # past: not exported

    prisoner = make_person(
        "Dzhakishev",
        "Mukhtar",
        emails=("mukhtar@example.kz",),
        native_name="Мухтар Джакишев",
        country="KZ",
        category_id=category_id("Political prisoner"),
    )
    make_role(prisoner, kazatomprom, "President", date(1998, 1, 1), today() + timedelta(days=30))
    make_role(prisoner, odf, "Friend", date(2020, 5, 1))  # the latest current role wins the column
    db.session.add(ExternalId(person_id=mep.id, scheme="ep", value="124831"))

    bare = make_person("Nobody", "")
    letter = make_outreach(
        "Letter to the Prosecutor General",
        to=[prisoner, kazatomprom],
        authors=[mep],
        campaign_id=campaign.id,
        follow_up_on=date(2017, 12, 1),
    )
    make_outreach("Unrelated note", to=[bare])
    reply = make_response(letter, prisoner, outcome="acknowledged", summary="Thanks for the letter.")
    db.session.commit()
    return {
        "mep": mep,
        "prisoner": prisoner,
        "bare": bare,
        "campaign": campaign,
        "other_campaign": sample_world.other,
        "letter": letter,
        "reply": reply,
        "epp": epp,
        "odf": odf,
    }


def read_xlsx(data: bytes | str):
    """(worksheet, header, rows as dicts by header) of the first sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return sheet, header, [dict(zip(header, row, strict=False)) for row in rows[1:]]


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
