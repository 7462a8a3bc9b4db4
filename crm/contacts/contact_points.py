"""Validation and replacement of emails, phones and postal addresses, shared by
people and organisations."""

from __future__ import annotations

from typing import Any

from crm.contacts.data import AddressData, EmailData, PhoneData
from crm.contacts.models import EmailAddress, PhoneNumber, PostalAddress
from crm.values import normalise_country, normalise_email, normalise_phone


def _one_primary(items: list[Any]) -> None:
    """Exactly one primary per kind: the first marked one, else the first."""
    primaries = [item for item in items if item.is_primary]
    for item in items:
        item.is_primary = False
    if items:
        (primaries[0] if primaries else items[0]).is_primary = True


def clean_contact_points(
    emails: list[EmailData], phones: list[PhoneData], addresses: list[AddressData], errors: dict[str, list[str]]
) -> tuple[list[EmailData], list[PhoneData], list[AddressData]]:
    """Drop blank entries, normalise the rest, and collect problems into `errors`."""
    clean_emails: list[EmailData] = []
    seen: set[str] = set()
    # Indexes count blank entries too, so an error lands on the form row it came from.
    for index, email in enumerate(emails):
        if not (email.address and email.address.strip()):
            continue
        try:
            address = normalise_email(email.address)
        except ValueError as error:
            errors.setdefault(f"emails-{index}-address", []).append(str(error))
            continue
        if address in seen:
            errors.setdefault(f"emails-{index}-address", []).append(f"{address} is listed twice.")
            continue
        seen.add(address)
        clean_emails.append(EmailData(address=address, label=email.label.strip()[:40], is_primary=email.is_primary))

    clean_phones: list[PhoneData] = []
    for index, phone in enumerate(phones):
        if not (phone.number and phone.number.strip()):
            continue
        try:
            number = normalise_phone(phone.number)
        except ValueError as error:
            errors.setdefault(f"phones-{index}-number", []).append(str(error))
            continue
        clean_phones.append(PhoneData(number=number[:40], label=phone.label.strip()[:40], is_primary=phone.is_primary))

    clean_addresses: list[AddressData] = []
    for index, item in enumerate(addresses):
        if not any((item.street.strip(), item.city.strip(), item.postcode.strip())):
            continue
        try:
            country = normalise_country(item.country)
        except ValueError as error:
            errors.setdefault(f"addresses-{index}-country", []).append(str(error))
            continue
        clean_addresses.append(
            AddressData(
                street=item.street.strip()[:300],
                postcode=item.postcode.strip()[:20],
                city=item.city.strip()[:100],
                country=country,
                label=item.label.strip()[:40],
                is_primary=item.is_primary,
            )
        )
    for items in (clean_emails, clean_phones, clean_addresses):
        _one_primary(items)
    return clean_emails, clean_phones, clean_addresses


def replace_contact_points(
    owner: Any, emails: list[EmailData], phones: list[PhoneData], addresses: list[AddressData]
) -> None:
    """Make the owner's contact points exactly these, keeping rows that did not change."""
    owner.emails = _reuse(
        owner.emails,
        [
            EmailAddress(address=e.address, label=e.label, is_primary=e.is_primary, position=i)
            for i, e in enumerate(emails)
        ],
        ("address", "label", "is_primary", "position"),
    )
    owner.phones = _reuse(
        owner.phones,
        [
            PhoneNumber(number=p.number, label=p.label, is_primary=p.is_primary, position=i)
            for i, p in enumerate(phones)
        ],
        ("number", "label", "is_primary", "position"),
    )
    owner.addresses = _reuse(
        owner.addresses,
        [
            PostalAddress(
                street=a.street,
                postcode=a.postcode,
                city=a.city,
                country=a.country,
                label=a.label,
                is_primary=a.is_primary,
                position=i,
            )
            for i, a in enumerate(addresses)
        ],
        ("street", "postcode", "city", "country", "label", "is_primary", "position"),
    )


def _reuse(existing: list[Any], wanted: list[Any], fields: tuple[str, ...]) -> list[Any]:
    # Update rows in place rather than delete + insert, so ids stay stable.
    result = []
    for index, new in enumerate(wanted):
        if index < len(existing):
            row = existing[index]
            for name in fields:
                setattr(row, name, getattr(new, name))
            result.append(row)
        else:
            result.append(new)
    return result


def snapshot_contact_points(owner: Any) -> dict[str, Any]:
    """Readable values for the audit trail."""

    def marked(items: list[Any], text: Any) -> list[str]:
        # "(primary)" only says something when there is a choice.
        return [
            f"{text(item)}{f' ({item.label})' if item.label else ''}"
            f"{' (primary)' if item.is_primary and len(items) > 1 else ''}"
            for item in items
        ]

    return {
        "emails": marked(owner.emails, lambda e: e.address),
        "phones": marked(owner.phones, lambda p: p.number),
        "addresses": marked(owner.addresses, lambda a: a.one_line),
    }
