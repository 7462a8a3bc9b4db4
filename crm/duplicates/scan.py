"""The duplicate list of a big database, found in the background and kept until asked again.

Comparing 100 000 people takes a quarter of a minute: too long for a page. With fewer than
DUPLICATES_INLINE_LIMIT people the list is found as the page loads; above it a background job
finds it and leaves it in instance/duplicates.json, and the page shows that list, as of when
it was found, without the people merged or archived since.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from crm import jobs
from crm.contacts.models import Person
from crm.duplicates.distinct import distinct_pairs
from crm.duplicates.finder import Pair, find_duplicates
from crm.extensions import db
from crm.timeutil import utcnow

KEEP_PAIRS = 1000  # the likeliest; a page shows the first of them that are still two live people
STUCK_AFTER = timedelta(minutes=30)  # a scan still "running" then died with its worker


@dataclass
class Scan:
    status: str  # running | done | failed
    requested_at: datetime
    finished_at: datetime | None = None
    people: int = 0
    pairs: list[Pair] = field(default_factory=list)
    error: str = ""

    @property
    def stuck(self) -> bool:
        return self.status == "running" and utcnow() - self.requested_at > STUCK_AFTER


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person).where(Person.archived.is_(False)))


def inline() -> bool:
    """Small enough to find the pairs while the page loads."""
    return people_count() < current_app.config["DUPLICATES_INLINE_LIMIT"]


def latest() -> Scan | None:
    try:
        stored = json.loads(_path().read_text(encoding="utf-8"))
        return Scan(
            status=stored["status"],
            requested_at=datetime.fromisoformat(stored["requested_at"]),
            finished_at=datetime.fromisoformat(stored["finished_at"]) if stored.get("finished_at") else None,
            people=stored.get("people", 0),
            pairs=[Pair(p["a"], p["b"], p["score"], p["reasons"]) for p in stored.get("pairs", [])],
            error=stored.get("error", ""),
        )
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or a file from another version
        return None


def request_scan() -> Scan:
    """Queue a scan; the page shows "looking" until the job has written its list."""
    scan = Scan("running", requested_at=utcnow())
    _write(scan)
    jobs.enqueue("duplicates-scan")
    return latest() or scan  # with immediate jobs (tests) the scan has already finished


def run_scan() -> None:
    """The job: find the pairs and keep the likeliest."""
    started = latest()
    requested_at = started.requested_at if started else utcnow()
    try:
        pairs = find_duplicates(db.session, limit=KEEP_PAIRS)
        scan = Scan("done", requested_at, utcnow(), people_count(), pairs)
    except Exception as error:  # noqa: BLE001 — the page says what went wrong instead of "looking" forever
        current_app.logger.exception("duplicate scan failed")
        scan = Scan("failed", requested_at, utcnow(), error=f"{type(error).__name__}: {error}"[:500])
    finally:
        db.session.rollback()
    _write(scan)


def live_pairs(pairs: list[Pair], limit: int) -> list[Pair]:
    """The first `limit` pairs whose two people are both still here and not archived, and not
    marked as different people since the scan."""
    ids = {pair.a_id for pair in pairs} | {pair.b_id for pair in pairs}
    live = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), Person.archived.is_(False))))
    distinct = distinct_pairs(db.session, ids)
    return [
        pair for pair in pairs if pair.a_id in live and pair.b_id in live and (pair.a_id, pair.b_id) not in distinct
    ][:limit]


def _path() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "duplicates.json"


def _write(scan: Scan) -> None:
    stored: dict[str, Any] = {
        "status": scan.status,
        "requested_at": scan.requested_at.isoformat(),
        "finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
        "people": scan.people,
        "pairs": [pair.as_json() for pair in scan.pairs],
        "error": scan.error,
    }
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: the page never reads half a list.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".duplicates-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(stored, file)
    os.replace(temporary, path)
