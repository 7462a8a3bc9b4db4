from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.contacts.models import Person
from crm.demo.campaign import CAMPAIGN
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.salutations.service import ensure_default_salutations


@pytest.fixture(autouse=True)
def default_salutations(app):
    """What migration 0016 puts in a new database (each test starts from emptied tables)."""
    ensure_default_salutations()
    db.session.commit()


@pytest.fixture(autouse=True)
def without_libreoffice(app):
    """Merges make no PDF unless a test asks for LibreOffice (tests/letters/test_pdf.py): a conversion
    takes a second or two, and most tests are about the letters themselves."""
    app.config["LETTERS_SOFFICE"] = "/nonexistent/soffice"


@pytest.fixture
def demo(app):
    """The demo loaded as `flask crm demo` loads it; returns its campaign."""
    load_demo()
    db.session.commit()
    return db.session.scalar(select(Campaign).where(Campaign.name == CAMPAIGN.name))


def person(family_name: str) -> Person:
    return db.session.scalar(select(Person).where(Person.family_name == family_name))
