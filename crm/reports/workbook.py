"""Several Tables as one .xlsx workbook: one sheet per table, numbers as numbers, header frozen.

crm.exports.xlsx writes a single sheet; a report needs several, so this module wraps the same
cell writer (its sheet head, row blocks and column widths, hence the same formula neutralising
and escaping) in a package that lists every sheet. Reports are small, so the workbook is built
in memory rather than streamed.
"""

from __future__ import annotations

import io
import re
import zipfile

from crm.exports import xlsx
from crm.exports.table import Table

MIMETYPE = xlsx.MIMETYPE
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_MAIN, _RELS, _PACKAGE, _TYPE, _HEAD = xlsx._MAIN, xlsx._RELS, xlsx._PACKAGE, xlsx._TYPE, xlsx._HEAD


def sheet_names(tables: list[Table]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    names: list[str] = []
    for table in tables:
        base = _BAD_SHEET_CHARS.sub(" ", table.sheet).strip()[:31] or "Sheet"
        name, number = base, 2
        while name.lower() in {taken.lower() for taken in names}:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        names.append(name)
    return names


def _sheet(table: Table, index: int) -> str:
    rows = list(table)
    head = xlsx._sheet_head(table, xlsx.column_widths(table.columns, rows[: xlsx.SAMPLE_ROWS]))
    if index:  # only the first sheet is selected, or Excel opens them grouped
        head = head.replace(' tabSelected="1"', "", 1)
    last = f"{xlsx.column_letter(len(table.columns) - 1)}{len(rows) + 1}"
    return (
        head
        + "".join(xlsx._row_blocks(table, rows))
        + f'</sheetData><autoFilter ref="A1:{last}"/><pageMargins left="0.7" right="0.7" top="0.75" '
        'bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def workbook_bytes(tables: list[Table]) -> bytes:
    names = sheet_names(tables)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, len(tables) + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(tables) + 1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>',
        )
        archive.writestr("_rels/.rels", xlsx.STATIC_PARTS["_rels/.rels"])
        styles_id = len(tables) + 1
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">{sheet_rels}'
            f'<Relationship Id="rId{styles_id}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", xlsx.STATIC_PARTS["xl/styles.xml"])
        filters = []
        for index, table in enumerate(tables):
            archive.writestr(f"xl/worksheets/sheet{index + 1}.xml", _sheet(table, index))
            last = f"${xlsx.column_letter(len(table.columns) - 1)}${table.written + 1}"
            quoted = xlsx._escape(names[index].replace("'", "''"))
            filters.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                f"'{quoted}'!$A$1:{last}</definedName>"
            )
        sheets = "".join(
            f'<sheet name="{xlsx._escape(name).replace(chr(34), "&quot;")}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{''.join(filters)}</definedNames></workbook>",
        )
    return buffer.getvalue()
