"""Normalised row values ↔ the contact services' PersonData: what "fill" and "update" mean."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from crm.contacts.data import AddressData, EmailData, PersonData, PhoneData
from crm.contacts.models import Person
from crm.values import phone_digits

# Scalar person fields a file can set, beside category (resolved to an id by the caller).
SCALARS = ("honorific", "given_name", "family_name", "patronymic", "native_name", "country", "source", "lawful_basis")


def person_data_of(person: Person) -> PersonData:
    """Everything editable about a person, as the services take it (and undo restores it)."""
    return PersonData(
        family_name=person.family_name,
        given_name=person.given_name,
        patronymic=person.patronymic,
        honorific=person.honorific,
        native_name=person.native_name,
        country=person.country,
        languages=[code for code in person.languages.split(",") if code],
        category_id=person.category_id,
        notes=person.notes,
        source=person.source,
        lawful_basis=person.lawful_basis,
        tags=[tag.name for tag in person.tags],
        emails=[EmailData(e.address, e.label, e.is_primary) for e in person.emails],
        phones=[PhoneData(p.number, p.label, p.is_primary) for p in person.phones],
        addresses=[
            AddressData(a.street, a.postcode, a.city, a.country, a.label, a.is_primary) for a in person.addresses
        ],
    )


def data_as_json(data: PersonData) -> dict[str, Any]:
    return asdict(data)


def data_from_json(values: dict[str, Any]) -> PersonData:
    values = dict(values)
    values["emails"] = [EmailData(**item) for item in values.get("emails", [])]
    values["phones"] = [PhoneData(**item) for item in values.get("phones", [])]
    values["addresses"] = [AddressData(**item) for item in values.get("addresses", [])]
    return PersonData(**values)


def new_person_data(values: dict[str, Any], category_id: int | None) -> PersonData:
    data = PersonData(family_name="")
    merge(data, values, category_id, mode="update")
    return data


def merge(
    data: PersonData, values: dict[str, Any], category_id: int | None, *, mode: str, note_heading: str = ""
) -> None:
    """Apply a row's values to `data` in place.

    "fill" sets only what is empty; "update" lets the file's non-blank values win. A blank
    cell never erases anything, notes are added to rather than replaced, and emails, phones,
    tags and languages are added to the lists: nothing staff wrote is lost either way. A note added
    to someone's notes starts a paragraph of its own, after `note_heading` (which import, when)."""
    overwrite = mode == "update"
    for name in SCALARS:
        value = values.get(name)
        if value not in (None, "") and (overwrite or not getattr(data, name)):
            setattr(data, name, value)
    if category_id is not None and (overwrite or data.category_id is None):
        data.category_id = category_id
    notes = (values.get("notes") or "").strip()
    if notes and notes not in data.notes:
        added = f"{note_heading} {notes}" if note_heading else notes
        data.notes = f"{data.notes.rstrip()}\n\n{added}" if data.notes.strip() else notes
    data.languages += [code for code in values.get("languages") or [] if code not in data.languages]
    known_tags = {tag.casefold() for tag in data.tags}
    data.tags += [tag for tag in values.get("tags") or [] if tag.casefold() not in known_tags]
    _add_emails(data, values, overwrite)
    _add_phones(data, values, overwrite)
    _add_address(data, values)


def _add_emails(data: PersonData, values: dict[str, Any], overwrite: bool) -> None:
    known = {email.address for email in data.emails}
    primary = list(values.get("email") or [])
    for index, address in enumerate(primary + list(values.get("email_other") or [])):
        if address in known:
            continue
        known.add(address)
        # The file's first email becomes primary on "update"; the first one a person gets is primary
        # whatever its column, as the services keep exactly one (a new person's go in as they are).
        make_primary = not data.emails or (index == 0 and bool(primary) and overwrite)
        if make_primary:
            for email in data.emails:
                email.is_primary = False
        data.emails.append(EmailData(address, "", make_primary))


def _add_phones(data: PersonData, values: dict[str, Any], overwrite: bool) -> None:
    known = {phone_digits(phone.number) for phone in data.phones}
    for label, key in (("", "phone"), ("mobile", "mobile")):
        for number in values.get(key) or []:
            digits = phone_digits(number)
            if digits in known:
                continue
            known.add(digits)
            data.phones.append(PhoneData(number, label, not data.phones))


def _add_address(data: PersonData, values: dict[str, Any]) -> None:
    street, postcode, city = (values.get(key) or "" for key in ("street", "postcode", "city"))
    if not (street or postcode or city):
        return
    for address in data.addresses:
        if (address.street, address.postcode, address.city) == (street, postcode, city):
            return
    data.addresses.append(AddressData(street, postcode, city, values.get("country"), "", not data.addresses))
