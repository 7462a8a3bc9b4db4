"""Tags are got or created in one place, safely when two transactions create the same new tag (issue 12, fix 2)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from crm.extensions import db
from crm.taxonomy.models import Tag
from crm.taxonomy.service import resolve_tags


def tag_count(key: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Tag).where(Tag.key == key))


def test_two_transactions_creating_one_new_tag_both_succeed_with_one_tag(app):
    """The second transaction starts while the first holds its new tag uncommitted.

    PostgreSQL makes the second INSERT wait on the unique key until the first commits; SQLite
    makes it wait for the write lock (busy_timeout). Either way it must then find the tag the
    first wrote instead of failing on the unique key."""
    db.session.commit()  # the test's own session holds nothing before the race
    first = resolve_tags(["Kazakhstan 2024"])
    db.session.flush()
    outcome: dict[str, object] = {}

    def second_transaction() -> None:
        with app.app_context():  # its own session, on its own connection
            try:
                tags = resolve_tags(["kazakhstan 2024"])
                db.session.flush()
                outcome["ids"] = [tag.id for tag in tags]
                db.session.commit()
            except Exception as error:  # reported to the test below
                db.session.rollback()
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=second_transaction)
    thread.start()
    time.sleep(0.5)
    waited = thread.is_alive()  # the second one waits for the first, on both databases
    db.session.commit()
    thread.join(timeout=20)

    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert waited
    assert outcome["ids"] == [first[0].id]
    assert tag_count("kazakhstan 2024") == 1


def test_an_existing_tag_is_found_by_its_folded_name(app):
    (urgent,) = resolve_tags(["Urgent"])
    db.session.commit()
    assert [tag.id for tag in resolve_tags(["URGENT", "urgent "])] == [urgent.id]
    assert urgent.name == "Urgent"
