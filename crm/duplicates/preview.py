"""What a merge would do, for the merge screen: the fields that differ and what would move."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from crm.campaigns.models import Campaign
from crm.contacts.models import LAWFUL_BASES, Person
from crm.duplicates.merge import MERGE_FIELDS, contact_points_to_move, roles_to_move
from crm.duplicates.score import Identity, Match, score
from crm.extensions import db
from crm.outreach.models import Participant, Response
from crm.values import country_name


@dataclass
class FieldChoice:
    name: str
    label: str
    keep_value: str  # as shown
    other_value: str
    differs: bool
    # The suggested side: the kept person's value, unless it is blank and the other's is not.
    suggested: str = "keep"


@dataclass
class Combined:
    """Values both people keep, shown side by side: emails, roles, tags ..."""

    label: str
    keep_values: list[str]
    other_values: list[str]


@dataclass
class MergePreview:
    keep: Person
    other: Person
    match: Match
    fields: list[FieldChoice]
    combined: list[Combined] = field(default_factory=list)
    moving: list[str] = field(default_factory=list)  # what moves to the kept person: "2 roles", "1 response"
    problem: str | None = None  # why these two cannot be merged as they are

    @property
    def differing(self) -> list[FieldChoice]:
        return [choice for choice in self.fields if choice.differs]


def _shown(person: Person, name: str) -> str:
    if name == "country":
        return country_name(person.country) or ""
    if name == "category_id":
        return person.category.name if person.category else ""
    if name == "lawful_basis":
        return LAWFUL_BASES.get(person.lawful_basis, person.lawful_basis)
    return getattr(person, name) or ""


def identity_of(person: Person) -> Identity:
    organisations = [n for role in person.roles for n in (role.organisation.name, role.organisation.short_name) if n]
    return Identity(
        given_name=person.given_name,
        family_name=person.family_name,
        patronymic=person.patronymic,
        native_name=person.native_name,
        emails=tuple(e.address for e in person.emails),
        country=person.country,
        organisations=tuple(organisations),
        external_ids=tuple((e.scheme, e.value) for e in person.external_ids),
        person_id=person.id,
    )


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _combined(person: Person) -> list[list[str]]:
    roles = [
        f"{r.title + ', ' if r.title else ''}{r.organisation.name}" for r in person.current_roles + person.past_roles
    ]
    return [
        [e.address for e in person.emails],
        [p.number for p in person.phones],
        [a.one_line for a in person.addresses],
        roles,
        [tag.name for tag in person.tags],
        [code for code in person.languages.split(",") if code],
        [e.scheme + " " + e.value for e in person.external_ids],
    ]


_COMBINED_LABELS = ("Emails", "Phones", "Addresses", "Roles", "Tags", "Languages", "External ids")
# (singular, plural) of what moves
_KINDS = {
    "roles": ("role", "roles"),
    "outreach": ("outreach entry", "outreach entries"),
    "responses": ("response", "responses"),
    "campaigns": ("campaign as its subject", "campaigns as their subject"),
    "emails": ("email", "emails"),
    "phones": ("phone", "phones"),
    "addresses": ("address", "addresses"),
    "tags": ("tag", "tags"),
    "external ids": ("external id", "external ids"),
}


def merge_preview(keep: Person, other: Person) -> MergePreview:
    fields = []
    for name, label in MERGE_FIELDS.items():
        kept, others = _shown(keep, name), _shown(other, name)
        suggested = "other" if not kept and others else "keep"
        fields.append(FieldChoice(name, label, kept, others, kept != others, suggested))
    moving = {
        "roles": len(roles_to_move(keep, other)),
        "outreach": _count(select(Participant.outreach_id).where(Participant.person_id == other.id).distinct()),
        "responses": _count(select(Response.id).where(Response.person_id == other.id)),
        "campaigns": _count(select(Campaign.id).where(Campaign.subject_person_id == other.id)),
        **{kind: len(items) for kind, items in contact_points_to_move(keep, other).items()},
        "tags": sum(tag not in keep.tags for tag in other.tags),
        "external ids": len(other.external_ids),
    }
    match = score(identity_of(keep), identity_of(other))
    archived = next((p for p in (keep, other) if p.archived), None)
    problem = f"#{archived.id} {archived.display_name} is archived: restore them before merging." if archived else None
    combined = [
        Combined(label, kept, others)
        for label, kept, others in zip(_COMBINED_LABELS, _combined(keep), _combined(other), strict=True)
        if kept or others
    ]
    phrases = [f"{n} {_KINDS[kind][n != 1]}" for kind, n in moving.items() if n]
    return MergePreview(keep, other, match, fields, combined, phrases, problem)
