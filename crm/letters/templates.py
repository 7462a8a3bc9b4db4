"""Letter templates: upload (checked whole before anything is written), list, find, delete. They flush;
callers commit. Editors upload; admins delete (the views check)."""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, or_, select

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.letters import storage
from crm.letters.docx_checks import TemplateRefused
from crm.letters.models import LetterTemplate
from crm.letters.render import check_template
from crm.uploads import megabytes, read_bounded

MAX_NAME = 200


def read_upload(filename: str, stream: BinaryIO) -> bytes:
    limit = current_app.config["LETTERS_MAX_TEMPLATE_BYTES"]
    too_big = f"{filename} is larger than {megabytes(limit)}: a letter template is smaller."
    return read_bounded(stream, limit, too_big, error=TemplateRefused)


def upload_template(
    name: str, filename: str, stream: BinaryIO, *, campaign_id: int | None, actor: User | None
) -> LetterTemplate:
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    name = " ".join((name or "").split()) or filename.rsplit(".", 1)[0]
    if not filename:
        raise InvalidInput("Choose a .docx file.", "file")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"At most {MAX_NAME} characters.", "name")
    if name.isdigit():
        raise InvalidInput("Give the template a name with letters in it (a number is taken for its id).", "name")
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        raise InvalidInput("That campaign no longer exists.", "campaign_id")
    if db.session.scalar(select(LetterTemplate.id).where(func.lower(LetterTemplate.name) == name.lower())):
        raise Conflict(f"There is a template called “{name}” already: choose another name, or delete it first.", "name")
    data = read_upload(filename, stream)
    fields = check_template(data, filename)
    template = LetterTemplate(
        name=name,
        campaign_id=campaign_id,
        filename=filename,
        stored_name=storage.new_key(),
        size=len(data),
        fields=",".join(fields),
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(template)
    db.session.flush()
    storage.template_path(template.stored_name).write_bytes(data)
    audit.record(
        "letter_template",
        template.id,
        "upload",
        {"name": [None, name], "file": [None, filename], "campaign": [None, campaign_id]},
        actor=actor,
    )
    return template


def discard_file(template: LetterTemplate) -> None:
    """The file of an upload whose record was rolled back."""
    storage.template_path(template.stored_name).unlink(missing_ok=True)


def list_templates(campaign_id: int | None = None) -> list[LetterTemplate]:
    """Every template, or those for everyone and for that campaign."""
    statement = select(LetterTemplate).order_by(func.lower(LetterTemplate.name), LetterTemplate.id)
    if campaign_id is not None:
        statement = statement.where(
            or_(LetterTemplate.campaign_id.is_(None), LetterTemplate.campaign_id == campaign_id)
        )
    return list(db.session.scalars(statement))


def get_template(template_id: int) -> LetterTemplate:
    template = db.session.get(LetterTemplate, template_id)
    if template is None:
        raise NotFound(f"There is no letter template with id {template_id}.")
    return template


def find_template(id_or_name: str) -> LetterTemplate:
    if id_or_name.strip().isdigit():
        return get_template(int(id_or_name))
    template = db.session.scalar(
        select(LetterTemplate).where(func.lower(LetterTemplate.name) == " ".join(id_or_name.split()).lower())
    )
    if template is None:
        raise NotFound(f"There is no letter template called “{id_or_name}”.")
    return template


def template_bytes(template: LetterTemplate) -> bytes:
    path = storage.template_path(template.stored_name)
    if not path.exists():
        raise NotFound(f"The file of the template “{template.name}” is missing from storage.")
    return path.read_bytes()


def delete_template(template: LetterTemplate, *, actor: User | None) -> str:
    """Delete the record; returns the stored name, whose file the caller removes after the commit."""
    audit.record("letter_template", template.id, "delete", {"name": [template.name, None]}, actor=actor)
    stored_name = template.stored_name
    db.session.delete(template)
    db.session.flush()
    return stored_name


def add_sample_template(*, actor: User | None) -> LetterTemplate:
    """The letter shipped with the CRM, as a template for everyone."""
    with storage.SAMPLE_TEMPLATE.open("rb") as stream:
        return upload_template("Sample letter", storage.SAMPLE_TEMPLATE.name, stream, campaign_id=None, actor=actor)
