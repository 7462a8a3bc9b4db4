"""The outreach log as a list: text, campaign, kind and status filters, newest first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from crm.contacts.search import Page, _escape_like
from crm.extensions import db
from crm.ids import optional_int
from crm.outreach.models import OUTREACH_STATUSES, Outreach


@dataclass
class OutreachFilter:
    q: str = ""
    campaign_id: int | None = None
    kind_id: int | None = None
    status: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> OutreachFilter:
        return cls(
            q=(args.get("q") or "").strip()[:200],
            campaign_id=optional_int(args.get("campaign_id")),
            kind_id=optional_int(args.get("kind_id")),
            status=args.get("status") if args.get("status") in OUTREACH_STATUSES else None,
        )


def outreach_query(filters: OutreachFilter) -> Select:
    query = select(Outreach)
    for word in filters.q.lower().split():
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(
                func.lower(Outreach.subject).like(pattern, escape="\\"),
                func.lower(Outreach.reference).like(pattern, escape="\\"),
            )
        )
    if filters.campaign_id:
        query = query.where(Outreach.campaign_id == filters.campaign_id)
    if filters.kind_id:
        query = query.where(Outreach.kind_id == filters.kind_id)
    if filters.status:
        query = query.where(Outreach.status == filters.status)
    return query.order_by(Outreach.sent_on.desc().nulls_first(), Outreach.id.desc())


def search_outreach(filters: OutreachFilter, *, page: int = 1, per_page: int = 50) -> Page:
    page = max(1, page)
    query = outreach_query(filters)
    items = db.session.scalars(
        query.limit(per_page)
        .offset((page - 1) * per_page)
        .options(selectinload(Outreach.kind), selectinload(Outreach.campaign), selectinload(Outreach.owner))
    ).all()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(items=list(items), total=total, page=page, per_page=per_page)
