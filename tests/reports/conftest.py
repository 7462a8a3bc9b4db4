"""The known campaign: the shared sample world (tests/sample_data.py, where its outreach and replies are
listed) with two asks. The report figures in these tests are worked out by hand from it."""

from __future__ import annotations

import pytest

from crm.campaigns.service import AskData, save_ask
from crm.extensions import db


@pytest.fixture
def known(sample_world):
    campaign = sample_world.campaign
    save_ask(campaign, AskData("MEPs write to the Commission", of_whom="MEPs"), actor=None)
    save_ask(campaign, AskData("PACE declaration", status="achieved"), actor=None)
    db.session.commit()
    return {
        "campaign_id": campaign.id,
        "other_id": sample_world.other.id,
        "people": {key: person.id for key, person in sample_world.people.items()},
    }
