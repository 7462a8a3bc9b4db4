"""The merge fields of a letter, and their values for one recipient on the letter's date.

The same per-language salutations as email (crm.salutations); the title and organisation of the role
the person held on the letter's date; the postal address laid out by its country's conventions; the
date written in the letter's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from crm.campaigns.models import Campaign
from crm.contacts.models import Person, Role
from crm.letters.addresses import address_block
from crm.salutations.service import Greeting, person_fields

# What a template may name, in the order the Letters page lists them.
LETTER_FIELDS = {
    "salutation": "Dear Mr Kelam / Sehr geehrter Herr Abgeordneter … (Admin › Salutations)",
    "honorific": "Mr, Ms, Dr …",
    "given_name": "Given name",
    "family_name": "Family name",
    "patronymic": "Patronymic",
    "full_name": "Given and family name",
    "formal_name": "Honorific and name: Mr Tunne Kelam",
    "title": "Title of the role they hold on the letter's date (Member of the European Parliament …)",
    "organisation": "Organisation of that role",
    "address": "Postal address block, laid out as their country's post expects (several lines)",
    "date": "The letter's date, in the letter's language: 7 December 2026, 7. Dezember 2026",
    "campaign": "The campaign's name",
    "campaign_subject": "The person the campaign is about",
    "campaign_description": "The campaign's description",
    "sender": "The name of the staff member who writes the letters",
}

# "en" alone would write American dates (December 7, 2026) in letters to Europe.
DATE_LOCALES = {"en": "en_GB"}


def letter_language_ok(language: str) -> bool:
    try:
        Locale.parse(DATE_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def written_date(on: date, language: str) -> str:
    if not letter_language_ok(language):  # a language Babel has no calendar for: English dates
        language = "en"
    return format_date(on, format="long", locale=DATE_LOCALES.get(language, language))


def role_on(person: Person, on: date) -> Role | None:
    """The role held on that day, the latest begun first (a role's dates are inclusive)."""
    held = [
        r
        for r in person.roles
        if (r.starts_on is None or r.starts_on <= on) and (r.ends_on is None or r.ends_on >= on) and r.title
    ]
    return min(held, key=Role.sort_value) if held else None


@dataclass(frozen=True)
class Letterhead:
    """What every letter of one merge shares."""

    on: date
    campaign: Campaign | None
    sender: str


def letter_fields(person: Person, greeting: Greeting, head: Letterhead, address: str | None = None) -> dict[str, str]:
    role = role_on(person, head.on)
    campaign = head.campaign
    return {
        **person_fields(person),
        "formal_name": person.formal_name,
        "salutation": greeting.text,
        "title": role.title if role else "",
        "organisation": role.organisation.name if role else "",
        "address": address if address is not None else address_block(person) or "",
        "date": written_date(head.on, greeting.language),
        "campaign": campaign.name if campaign else "",
        "campaign_subject": campaign.subject.display_name if campaign and campaign.subject else "",
        "campaign_description": campaign.description if campaign else "",
        "sender": head.sender,
    }


def sample_fields() -> dict[str, str]:
    """Values for the trial merge of an upload: every field, several lines where a field may have them."""
    return {name: "Sample" for name in LETTER_FIELDS} | {"address": "Sample\nSample Street 1\n1000 SAMPLE"}
