"""Builders of the messy and hostile files real imports meet; each writes one file into a folder.

Workbooks come from openpyxl, xlwt (.xls) and the csv module where those can say what we need;
the rest (cached formula values, .ods, bombs) is written by hand, part by part, with zipfile.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import random
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import xlwt
from openpyxl import Workbook

MB = 1024 * 1024

MESSY_TITLE = "Delegation to the EU-Kazakhstan Parliamentary Cooperation Committee"
MESSY_HEADER = ["Last name", "First name", "E-mail", "Country", "Born", "Political group"]
MESSY_NOTE = "Source: European Parliament website, downloaded on 1 May 2024 by the campaign team."


def messy_xlsx(folder: Path) -> Path:
    """A title block, merged title cells, blank rows, dates typed four ways, a totals row, a note."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Members"
    sheet["A1"] = MESSY_TITLE
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "As of 1 May 2024"
    sheet.merge_cells("A2:C2")
    sheet.append([])  # row 3 stays blank
    sheet.append(MESSY_HEADER)  # row 4
    sheet.append(["Zdechovský", "Tomáš", " tomas.zdechovsky@europarl.europa.eu ", "CZ", dt.date(1979, 6, 2), "EPP"])
    sheet.append(["Джакишев", "Мухтар", "mukhtar @example.kz", "KZ", "12.03.1975", None])
    sheet.append([])  # row 7 stays blank
    sheet.append(["Štětina", "Jaromír", "JAROMIR.STETINA@ep.europa.eu", "CZ", "1952-09-18", "EPP"])
    sheet.append(["Dzhakishev", "Mukhtar", "", "KZ", 27466])  # an Excel date serial without a date format
    sheet.append(["Total", None, None, None, None, 4])
    sheet.append([])
    sheet.append([MESSY_NOTE])  # row 12
    book.create_sheet("Notes")["B2"] = "Call them after the vote."
    path = folder / "messy.xlsx"
    book.save(path)
    return path


def several_sheets_xlsx(folder: Path) -> Path:
    """The first sheet is empty and the second hidden; the third is the one to read."""
    book = Workbook()
    book.active.title = "Cover"
    lookup = book.create_sheet("Lookup")
    lookup.append(["CZ", "Czechia"])
    lookup.sheet_state = "hidden"
    people = book.create_sheet("People")
    people.append(["Name", "Email"])
    people.append(["Anna Nováková", "anna@example.org"])
    path = folder / "several.xlsx"
    book.save(path)
    return path


def header_only_xlsx(folder: Path) -> Path:
    book = Workbook()
    book.active.append(["Name", "Email", "Country"])
    path = folder / "header-only.xlsx"
    book.save(path)
    return path


def big_text(size: int) -> str:
    """`size` characters that compress like real prose would, not like a bomb."""
    return base64.b64encode(random.Random(size).randbytes(size))[:size].decode()


def big_cell_xlsx(folder: Path, size: int = 5 * MB) -> Path:
    """A note of `size` characters; by hand, as openpyxl cuts text to Excel's 32,767."""
    row = '<row r="{0}"><c r="A{0}" t="s"><v>{1}</v></c><c r="B{0}" t="s"><v>{2}</v></c></row>'
    return raw_xlsx(
        folder / "big-cell.xlsx",
        row.format(1, 0, 1) + row.format(2, 2, 3) + row.format(3, 4, 5),
        shared_strings=["Name", "Notes", "Anna", big_text(size), "Boris", "short"],
    )


def raw_xlsx(
    path: Path, sheet_data: str | None, shared_strings: list[str] | None = None, sst_xml: str | None = None
) -> Path:
    """An .xlsx written part by part, for what openpyxl cannot write (cached formula values, bombs)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    if shared_strings is not None:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared_strings)
        sst_xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        if sheet_data is not None:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if sst_xml is not None:
            archive.writestr("xl/sharedStrings.xml", sst_xml)
    return path


def formulas_xlsx(folder: Path) -> Path:
    """Formulas with the values Excel cached, an error cell, data starting at column C."""
    return raw_xlsx(
        folder / "formulas.xlsx",
        '<row r="3"><c r="C3" t="s"><v>0</v></c><c r="D3" t="s"><v>1</v></c></row>'
        '<row r="4"><c r="C4" t="s"><v>2</v></c><c r="D4"><v>1.5</v></c></row>'
        '<row r="5"><c r="C5" t="s"><v>3</v></c><c r="D5"><f>D4*2</f><v>3</v></c></row>'
        '<row r="6"><c r="C6" t="str"><f>"Na"&amp;"me"</f><v>Name</v></c><c r="D6" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="E6" t="b"><v>1</v></c></row>',
        shared_strings=["Label", "Value", "Half", "Double"],
    )


def entity_bomb_xlsx(folder: Path) -> Path:
    """Billion laughs: ten entities, each ten of the one before, in the shared strings."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE sst [{''.join(entities)}]>"
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    )
    return raw_xlsx(folder / "laughs.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst_xml=sst)


def zip_bomb_xlsx(folder: Path, unpacked: int = 256 * MB) -> Path:
    """A workbook whose sheet inflates from about 250 KB to `unpacked` bytes of zeros.

    Written in 1 MB chunks, so building it needs no more memory than reading it should.
    """
    path = raw_xlsx(folder / "zip-bomb.xlsx", None)
    zeros = bytes(MB)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as part,
    ):
        for _ in range(unpacked // MB):
            part.write(zeros)
    return path


def sparse_corners_xlsx(folder: Path) -> Path:
    """Two legal cells, A1 and XFD1048576: 2 KB that a dense reader turns into 549 GB."""
    return raw_xlsx(
        folder / "corners.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
    )


def many_parts_xlsx(folder: Path, parts: int) -> Path:
    path = raw_xlsx(folder / "many-parts.xlsx", "")
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(parts):
            archive.writestr(f"xl/media/image{number}.bin", b"")
    return path


def word_document(folder: Path) -> Path:
    path = folder / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def png_named_xlsx(folder: Path) -> Path:
    """A real 1×1 PNG with a spreadsheet's name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) + chunk(b"IEND", b"")
    path = folder / "photo.xlsx"
    path.write_bytes(png)
    return path


def random_bytes_xlsx(folder: Path) -> Path:
    path = folder / "noise.xlsx"
    path.write_bytes(random.Random(5).randbytes(64 * 1024))
    return path


def empty_file(folder: Path, name: str = "empty.xlsx") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def web_page_xls(folder: Path) -> Path:
    """What some "Export to Excel" buttons produce: an HTML table named .xls."""
    path = folder / "export.xls"
    path.write_text("<html><body><table><tr><td>Name</td></tr></table></body></html>", encoding="utf-8")
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """Excel saves a password-protected .xlsx as an OLE2 container with an EncryptedPackage stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    path = folder / "secret.xlsx"
    path.write_bytes(header + directory + bytes(4096))
    return path


# --- Text tables ---------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], *, encoding: str, delimiter: str = ",", prefix: str = "") -> Path:
    with path.open("w", encoding=encoding, newline="") as text:
        text.write(prefix)
        csv.writer(text, delimiter=delimiter).writerows(rows)  # \r\n line ends, as Excel writes
    return path


CP1250_ROWS = [
    ["Příjmení", "Jméno", "E-mail", "Město"],
    ["Zdechovský", "Tomáš", "tomas.zdechovsky@example.cz", "Praha"],
    ["Štětina", "Jaromír", "jaromir.stetina@example.cz", "Brno"],
    ["Kowalczyk", "Łukasz", "lukasz@example.pl", "Łódź"],
    ["Novák", "Jan; ml.", "", "Ústí nad Labem"],
]


def cp1250_semicolon_csv(folder: Path) -> Path:
    """What Czech or Polish Excel saves as "CSV (oddělený středníkem)"."""
    return write_csv(folder / "kontakty.csv", CP1250_ROWS, encoding="cp1250", delimiter=";")


TSV_ROWS = [
    ["Фамилия", "Имя", "Заметки"],
    ["Джакишев", "Мухтар", "первая строка\nвторая строка"],
    ["Торегожина", "Бахытжан", ""],
]


def utf8_bom_tsv(folder: Path) -> Path:
    return write_csv(folder / "contacts.tsv", TSV_ROWS, encoding="utf-8-sig", delimiter="\t")


def ods(folder: Path) -> Path:
    """An OpenDocument sheet as LibreOffice writes one: a spanned title, repeated rows and cells."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    rows = [
        '<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="4">'
        "<text:p>Seznam kontaktů</text:p></table:table-cell>"
        '<table:covered-table-cell table:number-columns-repeated="3"/></table:table-row>',
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/>'
        "</table:table-row>",
        "<table:table-row>"
        + "".join(cell.format(label) for label in ("Jméno", "Born", "Votes", "Notes"))
        + "</table:table-row>",
        "<table:table-row>"
        + cell.format("Zdechovský")
        + '<table:table-cell office:value-type="date" office:date-value="1979-06-02"><text:p>02.06.79</text:p>'
        "</table:table-cell>"
        + '<table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p></table:table-cell>'
        + '<table:table-cell office:value-type="string"><text:p>two<text:s text:c="2"/>spaces</text:p>'
        "<text:p>second line</text:p></table:table-cell></table:table-row>",
        "<table:table-row>" + cell.format("Štětina") + '<table:table-cell table:number-columns-repeated="1"/>'
        '<table:table-cell office:value-type="float" office:value="2.5"><text:p>2,5</text:p></table:table-cell>'
        "</table:table-row>",
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>",
    ]
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Kontakty">'
        '<table:table-column table:number-columns-repeated="4"/>'
        f"{''.join(rows)}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = folder / "kontakty.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, so that `file` and calamine recognise it.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def xls(folder: Path) -> Path:
    """An Excel 97-2003 workbook: a merged title, a formatted date, numbers."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Kontakty")
    sheet.write_merge(0, 0, 0, 2, "Seznam kontaktů")
    for column, label in enumerate(["Jméno", "Narozen", "Hlasů"]):
        sheet.write(2, column, label)
    sheet.write(3, 0, "Zdechovský")
    sheet.write(3, 1, dt.date(1979, 6, 2), xlwt.easyxf(num_format_str="DD.MM.YYYY"))
    sheet.write(3, 2, 42)
    sheet.write(4, 0, "Štětina")
    sheet.write(4, 2, 2.5)
    path = folder / "kontakty.xls"
    book.save(str(path))
    return path


def lying_sizes_xlsx(folder: Path, unpacked: int = 64 * MB) -> Path:
    """A sheet that inflates to `unpacked` bytes while its zip headers claim 1 MB."""
    path = raw_xlsx(folder / "lying.xlsx", None)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as part,
    ):
        part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        part.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        for _ in range(unpacked // MB):
            part.write(b"a" * MB)
        part.write(b"</t></is></c></row></sheetData></worksheet>")
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # (signature, offset of the name length, offset of the name, offset of the uncompressed size)
    for signature, name_length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", data, at + name_length_at)
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, MB)
            at = data.find(signature, at + 4)
    path.write_bytes(data)
    return path
