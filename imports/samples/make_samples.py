"""Write the sample files of imports/presets/, one per preset, from the data below.

    .venv/bin/python imports/samples/make_samples.py [FOLDER]

FOLDER defaults to this one. The files are written with fixed timestamps, so running it
again changes nothing unless the data or the layout here changed (tests check that the
committed files match). See imports/README.md for where the data comes from.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))  # run as a script from anywhere: crm is two folders up

from crm.contacts.sheet_fields import FIELDS  # noqa: E402

FIXED_TIME = dt.datetime(2024, 9, 1, 9, 0, 0)

# --- The European Parliament's XML list: current Members, with the Parliament's own ids ------

EPP = "Group of the European People's Party (Christian Democrats)"
SD = "Group of the Progressive Alliance of Socialists and Democrats in the European Parliament"
RENEW = "Renew Europe Group"
GREENS = "Group of the Greens/European Free Alliance"
LEFT = "The Left group in the European Parliament - GUE/NGL"

EP_XML_MEPS = [  # fullName, country, politicalGroup, id, nationalPoliticalGroup
    ("Tomáš ZDECHOVSKÝ", "Czechia", EPP, "124713", "Křesťanská a demokratická unie - Československá strana lidová"),
    ("Brando BENIFEI", "Italy", SD, "124867", "Partito Democratico"),
    ("Urmas PAET", "Estonia", RENEW, "129073", "Eesti Reformierakond"),
    ("Hilde VAUTMANS", "Belgium", RENEW, "130100", "Open Vlaamse liberalen en democraten"),
    ("Petras AUŠTREVIČIUS", "Lithuania", RENEW, "124766", "Lietuvos Respublikos liberalų sąjūdis"),
    ("Daniel FREUND", "Germany", GREENS, "106936", "Bündnis 90/Die Grünen"),
    ("Sergey LAGODINSKY", "Germany", GREENS, "197460", "Bündnis 90/Die Grünen"),
    ("Lukas MANDL", "Austria", EPP, "190713", "Österreichische Volkspartei"),
    ("Marina KALJURAND", "Estonia", SD, "197491", "Sotsiaaldemokraatlik Erakond"),
    ("Robert BIEDROŃ", "Poland", SD, "197498", "Nowa Lewica"),
    ("Martin SCHIRDEWAN", "Germany", LEFT, "190517", "Die Linke"),
    ("Roberta METSOLA", "Malta", EPP, "118859", "Partit Nazzjonalista"),
]

# --- An Excel list of MEPs: some who wrote to the Kazakh authorities in 2017 ----------------

EP_EXCEL_TITLE = "MEPs who wrote to the Kazakh authorities about Mukhtar Dzhakishev, October and December 2017"
EP_EXCEL_HEADER = ["Surname", "First name", "Member State", "Political group", "National party", "E-mail", "Committees"]
EP_EXCEL_MEPS = [
    ("BENIFEI", "Brando", "Italy", "S&D", "Partito Democratico", "brando.benifei@europarl.europa.eu", None),
    ("DELVAUX", "Mady", "Luxembourg", "S&D", "Parti ouvrier socialiste luxembourgeois", None, None),
    ("GOMES", "Ana", "Portugal", "S&D", "Partido Socialista", "ana.gomes@europarl.europa.eu", "AFET"),
    ("ZDECHOVSKÝ", "Tomáš", "Czech Republic", "EPP", "KDU-ČSL", "tomas.zdechovsky@europarl.europa.eu", None),
    ("KELAM", "Tunne", "Estonia", "EPP", "Isamaa ja Res Publica Liit", "tunne.kelam@europarl.europa.eu", "AFET"),
    ("PAET", "Urmas", "Estonia", "ALDE", "Eesti Reformierakond", "urmas.paet@europarl.europa.eu", "AFET"),
    ("SCHOLZ", "Helmut", "Germany", "GUE/NGL", "DIE LINKE.", "helmut.scholz@europarl.europa.eu", None),
    ("ŠTĚTINA", "Jaromír", "Czech Republic", "EPP", "TOP 09", "jaromir.stetina@europarl.europa.eu", None),
    ("STAES", "Bart", "Belgium", "Greens/EFA", "Groen", "bart.staes@europarl.europa.eu", None),
    ("VAUTMANS", "Hilde", "Belgium", "ALDE", "Open VLD", "hilde.vautmans@europarl.europa.eu", None),
    ("WARD", "Julie", "United Kingdom", "S&D", "Labour Party", "julie.ward@europarl.europa.eu", "CULT"),
]
EP_EXCEL_NOTE = "Source: the letters of October and December 2017; addresses as the Parliament published them then."

# --- A PACE members list ----------------------------------------------------------------------

PACE_TITLE = "Parliamentary Assembly of the Council of Europe: members we follow"
PACE_HEADER = ["Name", "Country", "Political group", "Function", "Member since"]
PACE_MEMBERS = [
    ("Mr Frank SCHWABE", "Germany", "SOC", "Member", dt.date(2010, 1, 25)),
    ("Mr Tiny KOX", "Netherlands", "UEL", "Member", dt.date(2003, 9, 29)),
    ("Mr Pieter OMTZIGT", "Netherlands", "EPP/CD", "Member", dt.date(2004, 1, 26)),
    ("Mr Andrej HUNKO", "Germany", "UEL", "Member", dt.date(2010, 1, 25)),
    ("Mr Emanuelis ZINGERIS", "Lithuania", "EPP/CD", "Member", dt.date(2008, 1, 21)),
    ("Ms Petra BAYR", "Austria", "SOC", "Substitute", dt.date(2014, 1, 27)),
    ("Mr Rik DAEMS", "Belgium", "ALDE", "Member", dt.date(2014, 10, 13)),
    ("Mr Oleksii GONCHARENKO", "Ukraine", "EC/DA", "Member", dt.date(2015, 1, 26)),
    ("Mr Ian LIDDELL-GRAINGER", "United Kingdom", "EC/DA", "Member", dt.date(2010, 10, 4)),
    ("Ms Liliane MAURY PASQUIER", "Switzerland", "SOC", "Member", dt.date(2007, 12, 3)),
]

# --- The generic template and this product's own export -------------------------------------

GENERIC_ROWS = [
    {
        "honorific": "Dr",
        "given_name": "Bakhyt",
        "family_name": "Tumenova",
        "native_name": "Бахыт Туменова",
        "email": "b.tumenova@example.org",
        "city": "Almaty",
        "country": "Kazakhstan",
        "languages": "ru, kk",
        "category": "Human rights defender",
        "tags": "Dzhakishev; health",
        "notes": "Doctor; head of the health-care rights organisation Aman-Saulik.",
        "source": "Open Dialog Foundation report, 2018",
        "lawful_basis": "legitimate_interests",
        "organisation": "Aman-Saulik",
        "role_title": "Head",
    },
    {
        "given_name": "Bakhytzhan",
        "family_name": "Toregozhina",
        "native_name": "Бахытжан Торегожина",
        "email": "toregozhina@example.org",
        "country": "KZ",
        "languages": "ru",
        "category": "Human rights defender",
        "tags": "Dzhakishev",
        "notes": "Reports on his treatment in the colony.",
        "source": "Open Dialog Foundation report, 2018",
        "lawful_basis": "legitimate_interests",
    },
    {
        "honorific": "Mr",
        "full_name": "Marc Behrendt",
        "email": "m.behrendt@example.org",
        "phone": "+1 202 555 0143",
        "country": "United States",
        "category": "NGO staff",
        "organisation": "Freedom House",
        "role_title": "Director for Europe and Eurasia programs",
        "source": "Freedom House statement, September 2019",
        "lawful_basis": "legitimate_interests",
    },
]

EXPORT_ROWS = [
    {
        "id": 1,
        "external_id": "ep:124713",
        "honorific": "Mr",
        "given_name": "Tomáš",
        "family_name": "Zdechovský",
        "full_name": "Tomáš Zdechovský",
        "email": "tomas.zdechovsky@europarl.europa.eu",
        "country": "Czechia",
        "languages": "cs, en",
        "category": "MEP",
        "tags": "Dzhakishev letter 2017",
        "source": "European Parliament MEP list",
        "lawful_basis": "legitimate_interests",
        "organisation": "European Parliament",
        "role_title": "Member",
        "role_start": dt.date(2014, 7, 1),
        "political_group": "EPP",
        "national_party": "KDU-ČSL",
    },
    {
        "id": 2,
        "given_name": "Mukhtar",
        "family_name": "Dzhakishev",
        "full_name": "Mukhtar Dzhakishev",
        "native_name": "Мухтар Джакишев",
        "country": "Kazakhstan",
        "languages": "ru, kk",
        "category": "Political prisoner",
        "tags": "Dzhakishev",
        "notes": "Former head of Kazatomprom. Detained in May 2009; sentenced to 14 years in 2010 and 2012.",
        "source": "Open Dialog Foundation report, 2018",
        "lawful_basis": "legitimate_interests",
    },
    {
        "id": 3,
        "honorific": "Ms",
        "given_name": "Lyudmyla",
        "family_name": "Kozlovska",
        "full_name": "Lyudmyla Kozlovska",
        "email": "l.kozlovska@example.org",
        "languages": "uk, ru, en, pl",
        "category": "Foundation staff",
        "organisation": "Open Dialog Foundation",
        "lawful_basis": "legitimate_interests",
    },
    {
        "id": 4,
        "given_name": "Igor",
        "family_name": "Savchenko",
        "full_name": "Igor Savchenko",
        "email": "i.savchenko@example.org; press@example.org",
        "category": "Foundation staff",
        "organisation": "Open Dialog Foundation",
        "lawful_basis": "legitimate_interests",
    },
]


def ep_meps_xml(folder: Path) -> Path:
    entries = "".join(
        "  <mep>\n"
        + "".join(
            f"    <{tag}>{escape(value)}</{tag}>\n"
            for tag, value in zip(
                ("fullName", "country", "politicalGroup", "id", "nationalPoliticalGroup"), mep, strict=True
            )
        )
        + "  </mep>\n"
        for mep in EP_XML_MEPS
    )
    path = folder / "ep_meps.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<meps>\n{entries}</meps>\n', encoding="utf-8")
    return path


def ep_meps_xlsx(folder: Path) -> Path:
    """A title merged across the table, a blank row, the header, the MEPs, a totals row and a note."""
    book = Workbook()
    sheet = book.active
    sheet.title = "MEPs"
    sheet["A1"] = EP_EXCEL_TITLE
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells("A1:G1")
    sheet.append([])  # row 2 stays blank
    sheet.append(EP_EXCEL_HEADER)
    for row in EP_EXCEL_MEPS:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["Total", len(EP_EXCEL_MEPS)])
    sheet.append([EP_EXCEL_NOTE])
    _style_header(sheet, 3, [14, 12, 16, 14, 36, 36, 12])
    return _save(book, folder / "ep_meps.xlsx")


def pace_members_xlsx(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "PACE"
    sheet["A1"] = PACE_TITLE
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(PACE_HEADER)
    for row in PACE_MEMBERS:
        sheet.append(list(row))
        sheet.cell(sheet.max_row, 5).number_format = "DD/MM/YYYY"
    _style_header(sheet, 3, [30, 16, 16, 12, 14])
    return _save(book, folder / "pace_members.xlsx")


def generic_xlsx(folder: Path) -> Path:
    fields = [field for field in FIELDS if field.key != "id"]
    return _field_table(folder / "generic.xlsx", "Contacts", fields, GENERIC_ROWS)


def crm_export_xlsx(folder: Path) -> Path:
    return _field_table(folder / "crm_export.xlsx", "People", list(FIELDS), EXPORT_ROWS)


def _field_table(path: Path, title: str, fields: list, rows: list[dict]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([field.label for field in fields])
    for row in rows:
        sheet.append([row.get(field.key) for field in fields])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "YYYY-MM-DD"
    _style_header(sheet, 1, [16] * len(fields))
    return _save(book, path)


def _style_header(sheet, row: int, widths: list[int]) -> None:
    for column, width in enumerate(widths, 1):
        sheet.cell(row, column).font = Font(bold=True)
        sheet.cell(row, column).alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[sheet.cell(row, column).column_letter].width = width
    sheet.freeze_panes = sheet.cell(row + 1, 1)


def _save(book: Workbook, path: Path) -> Path:
    """openpyxl stamps the save time into the file and the zip; fix both so output is reproducible."""
    book.properties.creator = "Advocacy CRM samples"
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return path


MAKERS = (ep_meps_xml, ep_meps_xlsx, pace_members_xlsx, generic_xlsx, crm_export_xlsx)


def main(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder) for make in MAKERS]


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
