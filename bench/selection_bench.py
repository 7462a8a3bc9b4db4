"""Benchmark bulk actions over a selection of 10 000 people against the bare SQL of one INSERT … SELECT.

Seeds --people people (--matching of them in Portugal, the rest in Spain, half of them already
tagged "Petition" so the tag changes some and leaves others) with Core bulk inserts into a fresh
database, then times, each with its commit, as the views run them:
  bare      INSERT INTO selection_item SELECT … FROM person WHERE country = 'PT', written by hand
            (then deleted): the least any "select all that match" can cost;
  select    crm.selections.service.select_matching(user, "people", {"country": "PT"});
  tag       bulk.tag_selection(user, "people", "Petition"): items, tag rows, versions, audit;
  undo      bulk.undo of that tag;
  untag     bulk.untag_selection, and its undo;
  archive   bulk.archive_selection, and its undo.
Prints seconds for each and its ratio to `bare`. Goal: every action over 10 000 people in a few seconds.

    .venv/bin/python bench/selection_bench.py
    .venv/bin/python bench/selection_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_select

On PostgreSQL the tables live in a schema of their own (selection_bench), dropped afterwards, so the
database named may be one the test suite also uses.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from crm import create_app
from crm.auth.service import create_user
from crm.contacts.models import Person
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.selections import bulk
from crm.selections import service as selection
from crm.taxonomy.models import Tag, person_tag
from crm.taxonomy.service import ensure_defaults

BATCH = 5000
PG_SCHEMA = "selection_bench"  # PostgreSQL: our tables live here, never in the test suite's schema


def seed(people: int, matching: int) -> tuple[int, int]:
    db.drop_all()
    db.create_all()
    ensure_defaults()
    user = create_user("selection-bench@example.org", "bench password 123", role="editor")
    db.session.execute(insert(Tag.__table__), [{"id": 1, "name": "Petition", "key": "petition"}])
    now = datetime(2026, 12, 1)
    rows, tags = [], []
    for person_id in range(1, people + 1):
        family = f"Petitioner{person_id:06d}"
        rows.append({
            "id": person_id, "version": 1, "honorific": "", "given_name": "Ana", "family_name": family,
            "patronymic": "", "native_name": "", "country": "PT" if person_id <= matching else "ES", "languages": "",
            "notes": "", "source": "bench", "lawful_basis": "legitimate_interests", "created_at": now,
            "updated_at": now, "archived": False, "do_not_contact": False,
            "search_text": search_document("Ana", family), "sort_key": sort_key(family, "Ana"),
        })  # fmt: skip
        if person_id % 2:
            tags.append({"person_id": person_id, "tag_id": 1})
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Person.__table__), rows[start : start + BATCH])
    for start in range(0, len(tags), BATCH):
        db.session.execute(insert(person_tag), tags[start : start + BATCH])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return user.id, 1


def database_url(requested: str, folder: Path) -> str:
    if not requested:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    parsed = make_url(requested)
    if parsed.get_backend_name() != "postgresql":
        return requested
    with create_engine(parsed, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{PG_SCHEMA}"'))
    return parsed.update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(hide_password=False)


def drop_schema(requested: str) -> None:
    with create_engine(make_url(requested), isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))


def timed(label: str, work, results: dict[str, float]) -> None:
    started = time.perf_counter()
    outcome = work()
    db.session.commit()
    results[label] = time.perf_counter() - started
    print(f"  {label:<14} {results[label]:7.3f} s   {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=12_000)
    parser.add_argument("--matching", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crm-selection-bench-"))
    url = database_url(args.database_url, folder)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(folder), "JOBS_IMMEDIATE": True}
    )
    with app.app_context():
        print(f"{db.engine.dialect.name}: seeding {args.people} people, {args.matching} of them matching …")
        user_id, tag_id = seed(args.people, args.matching)
        from crm.auth.models import User

        user = db.session.get(User, user_id)
        results: dict[str, float] = {}
        bare = text(
            "INSERT INTO selection_item (user_id, kind, item_id) "
            "SELECT :user_id, 'people', id FROM person WHERE country = 'PT'"
        )
        timed("bare SQL", lambda: db.session.execute(bare, {"user_id": user_id}).rowcount, results)
        selection.clear(user_id, "people")
        db.session.commit()
        timed("select all", lambda: selection.select_matching(user_id, "people", {"country": "PT"}), results)
        tagged = []
        timed(
            "tag", lambda: tagged.append(bulk.tag_selection(user, "people", "Petition")) or tagged[0].changed, results
        )
        timed("undo tag", lambda: bulk.undo(tagged[0], actor=user), results)
        untagged = []
        untag = lambda: untagged.append(bulk.untag_selection(user, "people", tag_id)) or untagged[0].changed  # noqa: E731
        timed("untag", untag, results)
        timed("undo untag", lambda: bulk.undo(untagged[0], actor=user), results)
        archived = []
        archive = lambda: archived.append(bulk.archive_selection(user, "people")) or archived[0].changed  # noqa: E731
        timed("archive", archive, results)
        timed("undo archive", lambda: bulk.undo(archived[0], actor=user), results)
        print()
        for label, seconds in results.items():
            print(f"  {label:<14} {seconds:7.3f} s   {seconds / results['bare SQL']:6.1f} × bare")
        print(f"load average {os.getloadavg()[0]:.2f}")
        db.session.remove()
        db.engine.dispose()
    if url.startswith("postgresql"):
        drop_schema(args.database_url)


if __name__ == "__main__":
    main()
