"""`flask --app wsgi crm letters TEMPLATE --campaign ID [--people FILTER…] -o ZIP [--log] [--json]`.

Exit 0: done; 1: refused, with one line (unknown template or campaign, a bad filter, nobody to write
to); 2: the template file is not a usable .docx (or its merge fields cannot be merged).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from crm.cli import crm_cli
from crm.errors import DomainError, InvalidInput
from crm.extensions import db
from crm.letters import storage
from crm.letters.audience import LetterSource, people_filter
from crm.letters.docx_checks import TemplateRefused
from crm.letters.service import MergeRequest, MergeTemplate, start_merge, template_for_path
from crm.letters.service import left_out as service_left_out
from crm.letters.templates import find_template
from crm.timeutil import today


def _template(value: str) -> MergeTemplate:
    if value == "sample":
        return template_for_path(storage.SAMPLE_TEMPLATE)
    path = Path(value)
    if value.lower().endswith((".docx", ".docm", ".dotx", ".doc")) or path.is_file():
        if not path.is_file():
            raise InvalidInput(f"There is no file {value}.")
        return template_for_path(path)
    return MergeTemplate.stored(find_template(value))


def _source(people: tuple[str, ...]) -> LetterSource:
    ids, expressions = [], []
    for value in people:
        parts = [part.strip() for part in value.split(",")]
        if all(part.isdigit() for part in parts):
            ids += [int(part) for part in parts]
        else:
            expressions.append(value)
    return LetterSource(people_filter=people_filter(expressions) if expressions else "", person_ids=ids)


@crm_cli.command("letters")
@click.argument("template")
@click.option("--campaign", "campaign_id", type=int, help="The campaign (its people when --people is not given).")
@click.option(
    "--people",
    multiple=True,
    help="A people-list filter (country=DE, category=mep, tag=…, list=NAME, q=…) or person ids (12,14); several combine.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The zip to write."
)
@click.option("--date", "letter_date", type=click.DateTime(["%Y-%m-%d"]), help="The letters' date (default today).")
@click.option("--language", default="en", show_default=True, help="For people whose languages are not recorded.")
@click.option("--sender", default="", help="The name under the letters ({{ sender }}).")
@click.option("--log", is_flag=True, help="Log the letters as one outreach entry of kind Letter.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def letters_command(
    template: str,
    campaign_id: int | None,
    people: tuple[str, ...],
    output: Path,
    letter_date,
    language: str,
    sender: str,
    log: bool,
    as_json: bool,
) -> None:
    """Merge a letter template (an id, a name, a .docx path, or `sample`) for many people into a zip."""
    try:
        merge_template = _template(template)
        request = MergeRequest(
            source=_source(people),
            letter_date=letter_date.date() if letter_date else today(),
            fallback_language=language,
            campaign_id=campaign_id,
            log=log,
            sender=sender,
        )
        merge = start_merge(request, merge_template, actor=None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error.one_line()}", err=True)
        sys.exit(2 if isinstance(error, TemplateRefused) else 1)
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(storage.merge_folder(merge.stored_name) / storage.ZIP_NAME, output)
    left_out = json.loads(merge.left_out)
    if as_json:
        outcome = {
            "letters": merge.letters,
            "left_out": left_out,
            "outreach_id": merge.outreach_id,
            "zip": str(output),
            "pdf": merge.has_pdf,
        }
        click.echo(json.dumps(outcome))
        return
    click.echo(f"{merge.letters} letters in {output} (each its own .docx, and all of them in one to print).")
    for entry in service_left_out(merge):
        click.echo(f"Left out: {entry.name} (#{entry.person_id}): {entry.why}")
    if not merge.has_pdf:
        click.echo(merge.pdf_note)
    if merge.outreach_id:
        click.echo(f"Logged as outreach #{merge.outreach_id}.")
