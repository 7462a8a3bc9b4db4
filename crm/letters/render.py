"""Word templates through docxtpl in our sandbox: the fields a template names, one recipient's letter,
all the letters as one document to print, and its PDF when LibreOffice is installed.

docxtpl turns the document's XML into one Jinja template. Ours is the merge-field sandbox (no
`__class__`, no globals, bounded repeats) with autoescape on, so a name like "Smith & Sons" or "<b>"
cannot break or inject XML; a line break in a value (the address block) becomes a line break in Word.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError

from crm.errors import InvalidInput
from crm.letters.docx_checks import TemplateRefused, check_docx
from crm.letters.fields import LETTER_FIELDS, sample_fields
from crm.merge_fields import MergeSandbox, sandboxed_environment

PDF_SECONDS = 300  # LibreOffice converting a thousand pages
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in XML, or a page break (\f) to docxtpl


class _LetterSandbox(MergeSandbox):
    """Compiles each part of a template once per merge: docxtpl hands it the same XML for every letter."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (Jinja's own name)
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def letter_environment() -> _LetterSandbox:
    """One per merge (it keeps the compiled parts of the template it merges)."""
    return sandboxed_environment(autoescape=True, environment_class=_LetterSandbox)


class _Letter(DocxTemplate):
    """Document properties (title, subject) are plain text, not XML: filled without escaping."""

    def render_properties(self, context, jinja_env=None) -> None:
        super().render_properties(context, _PLAIN)


_PLAIN = sandboxed_environment()


def _template(data: bytes, filename: str) -> DocxTemplate:
    template = _Letter(io.BytesIO(data))
    try:
        template.init_docx()
    except Exception:  # python-docx raises anything from KeyError to lxml errors on a broken package
        raise TemplateRefused(f"{filename} cannot be opened as a Word document.") from None
    return template


def _parts_xml(template: DocxTemplate) -> list[str]:
    """The body, headers and footers as docxtpl gives them to Jinja, a paragraph per line (for errors)."""
    parts = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        parts += [template.get_part_xml(part) for _, part in template.get_headers_footers(uri)]
    return [re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml)) for xml in parts]


def _suggestion(name: str) -> str:
    close = difflib.get_close_matches(name, LETTER_FIELDS, n=1, cutoff=0.6)
    return f" (did you mean {{{{ {close[0]} }}}}?)" if close else ""


def template_fields(data: bytes, filename: str) -> list[str]:
    """The merge fields a template names; TemplateRefused for bad syntax or an unknown field, named."""
    environment = letter_environment()
    names: set[str] = set()
    for xml in _parts_xml(_template(data, filename)):
        try:
            parsed = environment.parse(xml)
        except TemplateSyntaxError as error:
            lines = xml.splitlines()
            line = lines[error.lineno - 1] if 0 < (error.lineno or 0) <= len(lines) else ""
            near = " ".join(re.sub(r"<[^>]+>", "", line).split())[:100]
            where = f" in “{near}”" if near else ""
            raise TemplateRefused(f"The merge fields of {filename} cannot be read: {error.message}{where}.") from None
        names |= meta.find_undeclared_variables(parsed)
    unknown = sorted(names - set(LETTER_FIELDS))
    if unknown:
        named = "; ".join(f"{{{{ {name} }}}}{_suggestion(name)}" for name in unknown)
        raise TemplateRefused(f"{filename}: unknown merge field{'s' if len(unknown) > 1 else ''} {named}.")
    return sorted(names)


def check_template(data: bytes, filename: str) -> list[str]:
    """Everything a template must pass before it is kept: the file, its fields, and a trial merge (which
    also reaches footnotes and document properties, and refuses sandbox tricks). Returns its fields."""
    check_docx(data, filename)
    fields = template_fields(data, filename)
    render_letter(data, sample_fields(), letter_environment(), filename=filename)
    return fields


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value.replace("\r\n", "\n"))


def render_letter(data: bytes, fields: Mapping[str, str], environment: _LetterSandbox, *, filename: str = "") -> bytes:
    """One recipient's letter as .docx bytes; TemplateRefused when the template cannot be filled."""
    template = _template(data, filename or "The template")
    try:
        template.render({name: _clean(value) for name, value in fields.items()}, environment)
    except SecurityError as error:
        raise TemplateRefused(f"Refused in the merge fields of {filename}: {str(error).rstrip('.')}.") from None
    except TemplateError as error:
        raise TemplateRefused(f"The merge fields of {filename} cannot be filled: {error.message}.") from None
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def combine(letters: list[bytes]) -> bytes:
    """All the letters in one document, each starting on a new page, to print in one go.

    They all come from one template, so they share its styles, numbering, images and relationship ids:
    moving each letter's body into the first one is enough (docxcompose, which reconciles documents of
    any origin, took five minutes for a thousand letters; this takes seconds)."""
    master = Document(io.BytesIO(letters[0]))
    main_part = master.part.partname.lstrip("/")  # word/document.xml, the same name in every letter
    body = master.element.body
    section = body.find(qn("w:sectPr"))  # the last section's properties close the body
    for data in letters[1:]:
        page_break = OxmlElement("w:p")
        run = OxmlElement("w:r")
        brk = OxmlElement("w:br")
        brk.set(qn("w:type"), "page")
        run.append(brk)
        page_break.append(run)
        # Only the body is wanted: opening each letter as a whole package (python-docx's Document) cost
        # 5 ms a letter, nearly all the time of combining a thousand (letters_bench.py).
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            letter = parse_xml(package.read(main_part)).find(qn("w:body"))
        content = [child for child in letter if child.tag != qn("w:sectPr")]
        for element in [page_break, *content]:
            if section is not None:
                section.addprevious(element)
            else:
                body.append(element)
    # Each drawing needs its own id, or Word reports the document as damaged.
    for number, drawing in enumerate(body.iter(qn("wp:docPr")), start=1):
        drawing.set("id", str(number))
    output = io.BytesIO()
    master.save(output)
    return output.getvalue()


def libreoffice(configured: str) -> str | None:
    """The soffice program to convert with, or None when it is not installed."""
    return shutil.which(configured) if configured else None


def to_pdf(docx: Path, soffice: str) -> Path:
    """Convert with LibreOffice beside the .docx; InvalidInput when it fails (the letters stay without PDF)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",  # its own profile: two conversions at once do not clash
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_SECONDS)
        except (OSError, subprocess.SubprocessError) as error:
            raise InvalidInput(f"LibreOffice could not make the PDF ({type(error).__name__}).") from None
    pdf = docx.with_suffix(".pdf")
    if not pdf.exists():
        raise InvalidInput("LibreOffice made no PDF.")
    return pdf
