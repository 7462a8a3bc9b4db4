"""The load benchmark's starting data, written through the app's own services on a migrated database.

The demo case (people, organisations, the Dzhakishev campaign with its outreach and replies), then a base
of people imported from a workbook like the one the benchmark imports under load (import_bench's
generator, another seed), the staff accounts, two more campaigns and a few hundred outreach entries with
replies over the last year. Services and the importer, not bulk inserts with explicit ids, so that the
database's sequences are where a real one's are when the servers start adding rows.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from anyascii import anyascii
from import_bench import make_workbook
from sqlalchemy import func, select

from crm import create_app
from crm.auth.service import create_user
from crm.campaigns.models import Campaign
from crm.campaigns.service import CampaignData, create_campaign
from crm.contacts.models import EmailAddress, Person
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.models import Outreach
from crm.outreach.responses import record_response
from crm.outreach.service import create_outreach
from crm.taxonomy.service import outcomes, outreach_kinds
from crm.timeutil import today

PASSWORD = "violet kettle harbour 7"  # not a common password: the sign-in form would refuse one
IMPORTER = "importer@bench.example.org"
CAMPAIGNS = ("Viasna defenders", "Crimean Tatar political prisoners")
SUBJECTS = ("Urgent appeal", "Request for a meeting", "Follow-up on the hearing", "Joint letter", "Trial monitoring")


def staff_email(number: int) -> str:
    return f"staff{number:02}@bench.example.org"


@dataclass
class Cast:
    """What the simulated staff need to know about the seeded data: ids to open and words to type."""

    person_ids: list[int] = field(default_factory=list)
    campaign_ids: list[int] = field(default_factory=list)
    outreach_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # Latin family-name fragments, without diacritics
    cyrillic: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


def seed(url: str, people: int, staff: int, seed_number: int) -> Cast:
    """Fill the migrated database at `url`; return the cast."""
    rng = random.Random(seed_number)
    folder = Path(tempfile.mkdtemp(prefix="crm-load-seed-"))
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-bench-seed", "INSTANCE_DIR": str(folder),
              "JOBS_IMMEDIATE": True}  # fmt: skip
    app = create_app(config)
    with app.app_context():
        load_demo()
        db.session.commit()
        workbook = folder / "base.xlsx"
        make_workbook(workbook, people, seed=seed_number + 1)
        run_import(workbook, ImportOptions(), actor=None)  # commits itself
        users = [create_user(staff_email(n), PASSWORD, role="editor") for n in range(1, staff + 1)]
        create_user(IMPORTER, PASSWORD, role="editor")
        for name in CAMPAIGNS:
            create_campaign(CampaignData(name=name, description="Seeded by the load benchmark."), actor=None)
        db.session.commit()
        cast = Cast(
            person_ids=list(db.session.scalars(select(Person.id).where(Person.archived.is_(False)))),
            campaign_ids=list(db.session.scalars(select(Campaign.id).order_by(Campaign.id))),
        )
        seed_outreach(rng, cast, users, entries=max(50, people // 10))
        cast.outreach_ids = list(db.session.scalars(select(Outreach.id)))
        add_search_terms(rng, cast)
        db.session.remove()  # gives its connection back, so dispose() closes it: the copy needs none open
        db.engine.dispose()
    return cast


def seed_outreach(rng: random.Random, cast: Cast, users: list, entries: int) -> None:
    """Letters and emails to 1–30 people each, sent over the last year; a fifth of the recipients replied."""
    kinds = [kind.id for kind in outreach_kinds()]
    results = [outcome.id for outcome in outcomes()]
    for number in range(entries):
        sent_on = today() - timedelta(days=rng.randrange(3, 365))
        recipients = rng.sample(cast.person_ids, k=min(len(cast.person_ids), rng.choice((1, 2, 3, 5, 10, 30))))
        data = OutreachData(
            kind_id=rng.choice(kinds),
            subject=f"{rng.choice(SUBJECTS)} #{number}",
            sent_on=sent_on,
            campaign_id=rng.choice(cast.campaign_ids),
            participants=[ParticipantData("to", person_id=person_id) for person_id in recipients],
        )
        author = rng.choice(users)
        outreach = create_outreach(data, actor=author)
        for person_id in recipients:
            if rng.random() < 0.2:
                received_on = min(today(), sent_on + timedelta(days=rng.randrange(1, 40)))
                reply = ResponseData(received_on, person_id=person_id, channel="email", outcome_id=rng.choice(results))
                record_response(outreach, reply, actor=author)
        if number % 50 == 49:
            db.session.commit()
    db.session.commit()


def add_search_terms(rng: random.Random, cast: Cast) -> None:
    """What staff type into the people search: part of a family name, a Cyrillic name, an email address."""
    rows = db.session.execute(
        select(Person.family_name, func.min(EmailAddress.address))
        .join(EmailAddress, EmailAddress.person_id == Person.id)
        .group_by(Person.id, Person.family_name)
        .order_by(Person.id)
    ).all()
    sample = rng.sample(rows, k=min(len(rows), 400))
    for family, email in sample:
        if not family:
            continue
        if family[0] >= "\u0400":  # Cyrillic script
            cast.cyrillic.append(family)
        else:
            cast.names.append(anyascii(family)[:6].lower())  # typed without diacritics, often only a part
        cast.emails.append(email)
