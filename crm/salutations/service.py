"""Which salutation greets a person, and the admins' editing of them. They flush; callers commit.

`salutation_for(person)` is the one answer for every feature that writes to people (the mailing now,
letters later): the person's first language (Person.languages) and honorific pick the form, narrowed
to their category when a form for it exists (MEPs: "Monsieur le Député"). No form is a `missing`
answer naming the language and honorific, never a guess: the preview lists those people.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm import merge_fields
from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.models import Person
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.salutations.defaults import DEFAULT_SALUTATIONS
from crm.salutations.models import Salutation
from crm.taxonomy.models import Category
from crm.timeutil import utcnow
from crm.values import normalise_languages

DEFAULT_LANGUAGE = "en"  # for a person whose languages are not recorded
SALUTATION_FIELDS = ("honorific", "given_name", "family_name", "patronymic", "full_name")

# Honorifics as staff and imports write them, in any of our languages, to the key a form is stored under.
HONORIFICS = {
    "mr": "mr", "mister": "mr", "m": "mr", "monsieur": "mr", "herr": "mr", "hr": "mr", "г-н": "mr", "господин": "mr",
    "ms": "ms", "miss": "ms", "mme": "ms", "madame": "ms", "mlle": "ms", "frau": "ms", "fr": "ms", "г-жа": "ms",
    "госпожа": "ms",
    "mrs": "mrs",
    "dr": "dr", "doctor": "dr", "docteur": "dr", "д-р": "dr", "доктор": "dr",
}  # fmt: skip
HONORIFIC_LABELS = {"mr": "Mr", "ms": "Ms", "mrs": "Mrs", "dr": "Dr", "": "no honorific"}


def honorific_key(honorific: str) -> str:
    """ "Mr." → "mr", "Frau" → "ms"; an honorific we do not know stays itself ("prof"), to be flagged."""
    text = " ".join((honorific or "").split()).lower().rstrip(".")
    return HONORIFICS.get(text, text)


def language_of(person: Person) -> str:
    return next((code for code in (person.languages or "").split(",") if code.strip()), DEFAULT_LANGUAGE).strip()


def person_fields(person: Person) -> dict[str, str]:
    return {
        "honorific": person.honorific or "",
        "given_name": person.given_name or "",
        "family_name": person.family_name or person.native_name or "",
        "patronymic": person.patronymic or "",
        "full_name": person.display_name or person.native_name or "",
    }


@dataclass(frozen=True)
class Greeting:
    """How to greet one person: `text`, or `missing` with the language and honorific nobody wrote a form for."""

    text: str
    language: str
    honorific: str  # the key: "mr", "" …

    @property
    def missing(self) -> bool:
        return not self.text

    @property
    def describe(self) -> str:
        return f"{self.language}, {HONORIFIC_LABELS.get(self.honorific, self.honorific)}"


class SalutationBook:
    """Every form, read once: a mailing to 700 people asks it 700 times."""

    def __init__(self) -> None:
        self._forms = {(s.language, s.honorific, s.category_id): s.text for s in db.session.scalars(select(Salutation))}

    def greeting(self, person: Person, language: str | None = None) -> Greeting:
        """In the person's first language, or in `language` (a letter written in another one)."""
        language, honorific = language or language_of(person), honorific_key(person.honorific)
        text = self._forms.get((language, honorific, person.category_id)) if person.category_id else None
        if text is None:
            text = self._forms.get((language, honorific, None))
        if text is None:
            return Greeting("", language, honorific)
        return Greeting(merge_fields.render(text, person_fields(person)).strip(), language, honorific)


def salutation_for(person: Person) -> Greeting:
    return SalutationBook().greeting(person)


# --- editing, admins only --------------------------------------------------------------------------------


@dataclass
class SalutationData:
    language: str
    honorific: str
    text: str
    category_id: int | None = None


def list_salutations() -> list[Salutation]:
    statement = select(Salutation).options(selectinload(Salutation.category))
    rows = list(db.session.scalars(statement))
    return sorted(rows, key=lambda s: (s.language, s.honorific, s.category.name if s.category else ""))


def get_salutation(salutation_id: int) -> Salutation:
    salutation = db.session.get(Salutation, salutation_id)
    if salutation is None:
        raise NotFound(f"There is no salutation with id {salutation_id}.")
    return salutation


def _clean(data: SalutationData) -> SalutationData:
    errors: dict[str, list[str]] = {}
    try:
        languages = normalise_languages(data.language)
    except ValueError as error:
        languages = []
        errors["language"] = [str(error)]
    if len(languages) != 1 and "language" not in errors:
        errors["language"] = ["Give one language (en, de, fr, ru …)."]
    honorific = honorific_key(data.honorific)
    if len(honorific) > 40:
        errors["honorific"] = ["At most 40 characters."]
    text = " ".join((data.text or "").split())
    if not text:
        errors["text"] = ["Write the salutation."]
    elif len(text) > 300:
        errors["text"] = ["At most 300 characters."]
    else:
        try:
            merge_fields.check_template(text, SALUTATION_FIELDS, field="text")
        except InvalidInput as error:
            errors.update(error.errors)
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        errors["category_id"] = ["That category no longer exists."]
    if errors:
        raise InvalidInput(errors)
    return SalutationData(languages[0], honorific, text, data.category_id)


def _snapshot(salutation: Salutation) -> dict:
    return {
        "language": salutation.language,
        "honorific": salutation.honorific,
        "category_id": salutation.category_id,
        "text": salutation.text,
    }


def save_salutation(data: SalutationData, *, actor: User | None, salutation: Salutation | None = None) -> Salutation:
    data = _clean(data)
    clash = db.session.scalar(
        select(Salutation.id).where(
            Salutation.language == data.language,
            Salutation.honorific == data.honorific,
            Salutation.category_id.is_(None)
            if data.category_id is None
            else Salutation.category_id == data.category_id,
        )
    )
    if clash is not None and (salutation is None or clash != salutation.id):
        raise Conflict("There is a salutation for this language, honorific and category already: edit it.", "text")
    before = _snapshot(salutation) if salutation else {}
    if salutation is None:
        salutation = Salutation()
        db.session.add(salutation)
    salutation.language, salutation.honorific = data.language, data.honorific
    salutation.category_id, salutation.text = data.category_id, data.text
    salutation.updated_at, salutation.updated_by_id = utcnow(), actor.id if actor else None
    db.session.flush()
    changes = audit.diff(before, _snapshot(salutation))
    if changes:
        audit.record("salutation", salutation.id, "update" if before else "create", changes, actor=actor)
    return salutation


def delete_salutation(salutation: Salutation, *, actor: User | None) -> None:
    audit.record("salutation", salutation.id, "delete", audit.diff(_snapshot(salutation), {}), actor=actor)
    db.session.delete(salutation)
    db.session.flush()


def ensure_default_salutations() -> int:
    """Add the built-in forms that are missing (what migration 0016 puts in a new database); returns how many."""
    categories = dict(db.session.execute(select(Category.code, Category.id)).tuples().all())
    present = set(db.session.execute(select(Salutation.language, Salutation.honorific, Salutation.category_id)))
    added = 0
    for language, honorific, code, text in DEFAULT_SALUTATIONS:
        category_id = categories.get(code) if code else None
        if (code and category_id is None) or (language, honorific, category_id) in present:
            continue
        db.session.add(Salutation(language=language, honorific=honorific, category_id=category_id, text=text))
        present.add((language, honorific, category_id))
        added += 1
    db.session.flush()
    return added
