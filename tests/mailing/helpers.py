from __future__ import annotations

from crm.extensions import db
from crm.mailing.audience import AudienceSource
from crm.mailing.service import ComposeData, start_mailing

BODY = "{{ salutation }},\n\nPlease ask about Mukhtar Dzhakishev at the next session.\n\nYours sincerely,\nThe team\n"


def send_to(people, actor, *, subject="About Mukhtar Dzhakishev", body=BODY, **options):
    """Start a mailing to `people` and commit: the job runs at once (JOBS_IMMEDIATE)."""
    data = ComposeData(AudienceSource(person_ids=[p.id for p in people]), subject, body, **options)
    mailing = start_mailing(data, actor=actor)
    db.session.commit()
    return mailing
