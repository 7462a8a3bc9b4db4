"""People, organisations, their dated roles and their contact points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.contacts.data import address_line
from crm.extensions import db
from crm.taxonomy.models import Category, OrganisationType, Tag, organisation_tag, person_tag
from crm.timeutil import today, utcnow

LAWFUL_BASES = {
    "consent": "Consent",
    "legitimate_interests": "Legitimate interests",
    "public_task": "Public task",
    "contract": "Contract",
    "legal_obligation": "Legal obligation",
    "vital_interests": "Vital interests",
}


class Tracked:
    """Columns every audited, versioned record has."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    archived: Mapped[bool] = mapped_column(default=False, index=True)
    # Folded names, emails and organisations (see crm.folding) for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(String(200), default="", index=True)


class Person(Tracked, db.Model):
    __table_args__ = (Index("ix_person_active_sort", "archived", "sort_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Optimistic locking: a save against an older version is a conflict.
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    honorific: Mapped[str] = mapped_column(String(40), default="")
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    native_name: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    languages: Mapped[str] = mapped_column(String(100), default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    lawful_basis: Mapped[str] = mapped_column(String(30), default="legitimate_interests")
    # They asked not to be written to: the mailing lists them and leaves them out.
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    # The import run that created this person: undoing the import removes it.
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"), index=True)

    category: Mapped[Category | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=person_tag, order_by=Tag.key)
    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="EmailAddress.position"
    )
    phones: Mapped[list[PhoneNumber]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PhoneNumber.position"
    )
    addresses: Mapped[list[PostalAddress]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PostalAddress.position"
    )
    roles: Mapped[list[Role]] = relationship(back_populates="person", cascade="all, delete-orphan")
    external_ids: Mapped[list[ExternalId]] = relationship(back_populates="person", cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship(foreign_keys="Person.created_by_id")
    updated_by: Mapped[User | None] = relationship(foreign_keys="Person.updated_by_id")

    @property
    def display_name(self) -> str:
        parts = [self.given_name, self.patronymic, self.family_name]
        return " ".join(part for part in parts if part)

    @property
    def other_script_name(self) -> str:
        """The native-script name, when it is not just the Latin name again."""
        return self.native_name if self.native_name and self.native_name != self.display_name else ""

    @property
    def role_summary(self) -> str:
        """A few words that tell namesakes apart: current roles, else the latest past one, else the category."""
        current = self.current_roles
        if current:
            return ", ".join(r.organisation.short_name or r.organisation.name for r in current[:2])
        past = self.past_roles
        if past:
            role = past[0]
            until = f", until {role.ends_on.year}" if role.ends_on else ""
            return f"{role.organisation.short_name or role.organisation.name}{until}"
        return self.category.name if self.category else ""

    @property
    def formal_name(self) -> str:
        return " ".join(part for part in (self.honorific, self.display_name) if part)

    @property
    def primary_email(self) -> str | None:
        return next((e.address for e in self.emails if e.is_primary), None)

    @property
    def current_roles(self) -> list[Role]:
        return sorted((r for r in self.roles if r.is_current), key=Role.sort_value)

    @property
    def past_roles(self) -> list[Role]:
        return sorted((r for r in self.roles if not r.is_current), key=Role.sort_value)

    def roles_held_on(self, day: date) -> list[Role]:
        """The roles held on `day`: what the people list shows when filtered by "roles held on"."""
        return sorted((r for r in self.roles if r.held_on(day)), key=Role.sort_value)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.display_name!r}>"


class Organisation(Tracked, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    native_name: Mapped[str] = mapped_column(String(200), default="")
    type_id: Mapped[int | None] = mapped_column(ForeignKey("organisation_type.id"), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"), index=True)

    type: Mapped[OrganisationType | None] = relationship()
    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id", back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent", order_by="Organisation.sort_key")
    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tag, order_by=Tag.key)
    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="EmailAddress.position"
    )
    phones: Mapped[list[PhoneNumber]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="PhoneNumber.position"
    )
    addresses: Mapped[list[PostalAddress]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="PostalAddress.position"
    )
    roles: Mapped[list[Role]] = relationship(back_populates="organisation")

    @property
    def display_name(self) -> str:
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Role(db.Model):
    """A dated affiliation: MEP 2014-2019, member of the S&D group, PACE deputy."""

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]  # None: still holds it
    note: Mapped[str] = mapped_column(String(300), default="")
    # The official list this role was imported from ("ep_meps"): refreshing that list ends
    # the roles of those no longer on it, and leaves roles staff entered by hand alone.
    source: Mapped[str] = mapped_column(String(100), default="", index=True)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"), index=True)

    person: Mapped[Person] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(back_populates="roles")

    @property
    def is_current(self) -> bool:
        return self.ends_on is None or self.ends_on >= today()

    def held_on(self, day: date) -> bool:
        """As the people filter's "roles held on" reads it (crm.contacts.search._held_on)."""
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or self.ends_on >= day)

    def sort_value(self) -> tuple:
        return (-(self.starts_on or date.min).toordinal(), self.organisation.name if self.organisation else "")


class ExternalId(db.Model):
    """A person's id in someone else's list (the European Parliament's MEP id), for refreshing that list."""

    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))  # "ep", "pace"
    value: Mapped[str] = mapped_column(String(100))

    person: Mapped[Person] = relationship(back_populates="external_ids")


class _ContactPoint:
    """Owned by exactly one person or one organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40), default="")
    is_primary: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


_ONE_OWNER = "(person_id IS NULL) <> (organisation_id IS NULL)"


class EmailAddress(_ContactPoint, db.Model):
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    address: Mapped[str] = mapped_column(String(254), index=True)
    person: Mapped[Person | None] = relationship(back_populates="emails")
    organisation: Mapped[Organisation | None] = relationship(back_populates="emails")


class PhoneNumber(_ContactPoint, db.Model):
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    number: Mapped[str] = mapped_column(String(40))
    person: Mapped[Person | None] = relationship(back_populates="phones")
    organisation: Mapped[Organisation | None] = relationship(back_populates="phones")


class PostalAddress(_ContactPoint, db.Model):
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    street: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    person: Mapped[Person | None] = relationship(back_populates="addresses")
    organisation: Mapped[Organisation | None] = relationship(back_populates="addresses")

    @property
    def one_line(self) -> str:
        return address_line(self.street, self.postcode, self.city, self.country)


SAVED_LIST_KINDS = ("live", "frozen")


class SavedList(db.Model):
    """A people-list filter kept under a name, shared with the team (crm.contacts.saved_lists).

    Live: `query` (the people list's query string) is run again each time the list is used.
    Frozen: the people it matched when it was saved, as SavedListMember rows; `query` says what they
    were chosen by and `person_count` how many they were, so people deleted since (an import undone)
    can be counted."""

    __table_args__ = (CheckConstraint("kind IN ('live', 'frozen')", name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name folded for case (crm.contacts.saved_lists.name_key): unique, so "DROI members" is one list.
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="live")
    query: Mapped[str] = mapped_column(Text, default="")
    person_count: Mapped[int] = mapped_column(default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User | None] = relationship()

    @property
    def frozen(self) -> bool:
        return self.kind == "frozen"

    def __repr__(self) -> str:
        return f"<SavedList {self.id} {self.name!r} {self.kind}>"


class SavedListMember(db.Model):
    """One person of a frozen list. A merge of duplicates moves the row to the person kept and
    remembers whom it was saved as (`merged_from_id`)."""

    saved_list_id: Mapped[int] = mapped_column(ForeignKey("saved_list.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)
    merged_from_id: Mapped[int | None]
