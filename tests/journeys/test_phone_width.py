"""At 390 px wide (a phone) the pages staff use every day fit without sideways scrolling: wide tables
scroll inside their own box, header buttons wrap. Issue 17 goes on with the rest of the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.outreach.models import Outreach

pytestmark = pytest.mark.browser

PHONE = 390


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


def test_the_everyday_pages_fit_a_phone(page, sign_in, demo, script_errors):
    kelam = db.session.scalar(select(Person.id).where(Person.family_name == "Kelam"))
    commission = db.session.scalar(select(Organisation.id).where(Organisation.name == "European Commission"))
    campaign = db.session.scalar(select(Campaign.id))
    outreach = db.session.scalar(select(Outreach.id).order_by(Outreach.id))
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in("admin")
    pages = [
        "/",
        f"/contacts/people/{kelam}",
        f"/contacts/organisations/{commission}",
        "/contacts/people",
        "/contacts/organisations",
        "/campaigns/",
        f"/campaigns/{campaign}",
        "/outreach/",
        f"/outreach/{outreach}",
        "/outreach/awaiting",
        "/email/compose",
        "/letters/",
        "/calendar/",
        "/reports/",
    ]
    too_wide = {}
    for path in pages:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
    assert too_wide == {}
    assert script_errors == []
