"""Builds sample_letter.docx, the template every new database offers (run it again after changing it):

    python -m crm.letters.samples.make_sample

A letter as campaign staff send them: the sender block, the date, the address block, the salutation,
paragraphs about the campaign, the closing and a line to sign on. Staff open it in Word, change the
words and keep the {{ fields }}.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

SAMPLE = Path(__file__).resolve().parent / "sample_letter.docx"


def build(path: Path = SAMPLE) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Calibri", Pt(11)
    style.paragraph_format.space_after = Pt(6)
    document.core_properties.title = "Letter: {{ campaign }}"
    document.core_properties.author = "Advocacy CRM"

    sender = document.add_paragraph()
    sender.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sender.add_run("{{ sender }}").bold = True
    sender.add_run("\nYour organisation\nStreet and number\nPostcode, City\nCountry")

    document.add_paragraph("{{ date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT

    document.add_paragraph("{{ address }}").paragraph_format.space_after = Pt(24)

    subject = document.add_paragraph()
    subject.add_run("Re: {{ campaign }}").bold = True

    document.add_paragraph("{{ salutation }},")
    document.add_paragraph(
        "We are writing to you{% if title %} as {{ title }}{% if organisation %}, {{ organisation }}{% endif %}{% endif %} "
        "about {{ campaign_subject }}, whose case "
        "our organisation has followed for many years."
    )
    document.add_paragraph("{{ campaign_description }}")
    document.add_paragraph(
        "We respectfully ask you to raise the case with the authorities concerned, to call for a fair review "
        "and for humane treatment in detention, and to let us know of any step you are able to take. We would "
        "be glad to send you the documents of the case and to meet you or your staff."
    )
    document.add_paragraph("Thank you for your attention and for your support.")
    document.add_paragraph("Yours sincerely,").paragraph_format.space_before = Pt(12)
    signature = document.add_paragraph("\n\n______________________________")
    signature.paragraph_format.space_after = Pt(0)
    document.add_paragraph("{{ sender }}")
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
