"""Benchmark saved lists of 10 000 people, live and frozen, against the bare SQL measured in the same run.

Seeds --people people (search_bench's generator) in a scratch database, then gives --members of the active
ones (10 000) a role "Member" at a delegation, D-CAS, during the 8th term (2014-2019); 2 000 others held
one before or after it, so the day matters. It saves two lists of the same 10 000 people:
  live    organisation_id=<D-CAS>&on=2018-06-01: its filter runs again each time it is used;
  frozen  the same filter, frozen: 10 000 saved_list_member rows.
Then, --rounds times, each in turn with its references so that drift and caches hit them alike:
  resolve  people_ids(PeopleFilter(list_id=...)): every id in name order, what outreach, email and letters
           read                                               bare SQL: the hand-written SELECT, fetchall
  count    count_people(list): the Saved lists page's figure  bare SQL: SELECT count(*)
  page     GET /contacts/people?list_id=... through the test client, signed in, in its own app context
                                                              bare SQL: the first 50 and the count; plain:
                                                              the same page by the list's filter itself
  save     create_list(..., "frozen"), rolled back each time  bare SQL: the list row, INSERT ... SELECT ids
  export   crm.exports.service.export("people", "xlsx") of the list   plain: the same export by the filter
Bare SQL runs on the raw DBAPI cursor with fetchall: no ORM, no Result objects. The people list page and the
export have fixed costs of their own (the filter form, the template, writing the .xlsx) that bare SQL lacks:
they are judged against the same page and export by the plain filter, which says what the list adds. Goals:
resolve and count <= 2 x bare SQL, resolve < 1 s; page <= 1.2 x plain and < 100 ms; export <= 1.1 x plain.

    .venv/bin/python bench/lists_bench.py
    .venv/bin/python bench/lists_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_bench_lists
    .venv/bin/python bench/lists_bench.py --people 20000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parent))  # and import the search benchmark beside it

from search_bench import ORGANISATIONS, PASSWORD, prepare_database
from search_bench import seed as seed_people

from crm import create_app
from crm.contacts.models import Organisation, Person, Role, SavedList
from crm.contacts.saved_lists import count_people, create_list
from crm.contacts.search import PeopleFilter, people_ids
from crm.exports import service
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.taxonomy.service import organisation_types

PER_PAGE = 50
ON = date(2018, 6, 1)
TERM = (date(2014, 7, 1), date(2019, 7, 1))
EPOCH = datetime(2019, 7, 1)

HELD = "(r.starts_on IS NULL OR r.starts_on <= :on) AND (r.ends_on IS NULL OR r.ends_on >= :on)"
LIVE_WHERE = f"p.archived = :no AND p.id IN (SELECT r.person_id FROM role r WHERE r.organisation_id = :org AND {HELD})"
FROZEN_FROM = "person p JOIN saved_list_member m ON m.person_id = p.id"
FROZEN_WHERE = "m.saved_list_id = :list AND p.archived = :no"
PERSON_COLUMNS = "p.id, p.given_name, p.family_name, p.patronymic, p.native_name, p.country, p.category_id, p.archived"
BARE = {
    ("resolve", "live"): [f"SELECT p.id FROM person p WHERE {LIVE_WHERE} ORDER BY p.sort_key, p.id"],
    ("resolve", "frozen"): [f"SELECT p.id FROM {FROZEN_FROM} WHERE {FROZEN_WHERE} ORDER BY p.sort_key, p.id"],
    ("count", "live"): [f"SELECT count(*) FROM person p WHERE {LIVE_WHERE}"],
    ("count", "frozen"): [f"SELECT count(*) FROM {FROZEN_FROM} WHERE {FROZEN_WHERE}"],
    ("page", "live"): [
        f"SELECT {PERSON_COLUMNS} FROM person p WHERE {LIVE_WHERE} ORDER BY p.sort_key, p.id LIMIT {PER_PAGE}",
        f"SELECT count(*) FROM person p WHERE {LIVE_WHERE}",
    ],
    ("page", "frozen"): [
        f"SELECT {PERSON_COLUMNS} FROM {FROZEN_FROM} WHERE {FROZEN_WHERE} ORDER BY p.sort_key, p.id LIMIT {PER_PAGE}",
        f"SELECT count(*) FROM {FROZEN_FROM} WHERE {FROZEN_WHERE}",
    ],
}
SAVE_SQL = [
    "INSERT INTO saved_list (name, name_key, kind, query, person_count, created_at, updated_at) "
    "VALUES ('bare', 'bare', 'frozen', '', 0, :now, :now)",
    "INSERT INTO saved_list_member (saved_list_id, person_id) "
    f"SELECT (SELECT id FROM saved_list WHERE name_key = 'bare'), p.id FROM person p WHERE {LIVE_WHERE}",
]


def seed_delegation(members: int, rng: random.Random) -> tuple[int, int]:
    """D-CAS and its members: `members` active people in the 8th term, 2 000 others before or after it."""
    type_id = next(t.id for t in organisation_types() if t.code == "delegation")
    org_id = len(ORGANISATIONS) + 1
    name = "Delegation for relations with Central Asia"
    db.session.execute(
        insert(Organisation.__table__),
        [{"id": org_id, "name": name, "short_name": "D-CAS", "type_id": type_id, "created_at": EPOCH,
          "updated_at": EPOCH, "search_text": search_document(name, "D-CAS"), "sort_key": sort_key(name)}],
    )  # fmt: skip
    active = list(db.session.scalars(select(Person.id).where(Person.archived.is_(False)).order_by(Person.id)))
    chosen = rng.sample(active, members + 2000)
    roles = [{"person_id": person_id, "organisation_id": org_id, "title": "Member", "note": "", "source": "",
              "starts_on": TERM[0], "ends_on": TERM[1]} for person_id in chosen[:members]]  # fmt: skip
    for n, person_id in enumerate(chosen[members:]):
        before = n % 2 == 0
        roles.append({"person_id": person_id, "organisation_id": org_id, "title": "Member", "note": "", "source": "",
                      "starts_on": date(2009, 7, 14) if before else date(2019, 7, 2),
                      "ends_on": date(2014, 6, 30) if before else None})  # fmt: skip
    db.session.execute(insert(Role.__table__), roles)
    db.session.commit()
    return org_id, len(roles)


def compiled(sql: str, values: dict) -> tuple[str, Any]:
    """SQL text with named parameters in the driver's own style (qmark for sqlite3, pyformat for psycopg)."""
    names = set(re.findall(r"(?<![:\w]):(\w+)", sql))
    result = text(sql).bindparams(**{name: values[name] for name in names}).compile(dialect=db.engine.dialect)
    if result.positional:
        return str(result), tuple(result.params[name] for name in result.positiontup)
    return str(result), result.params


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def measure(app, org_id: int, live_id: int, frozen_id: int, rounds: int, out_dir: Path) -> dict[str, dict]:
    """Seconds per measurement, `rounds` times each: the app's, its bare SQL's and (pages, exports) the same
    page or export by the plain filter, taken in turns whose order alternates from round to round."""
    lists = {"live": live_id, "frozen": frozen_id}
    values = {"no": False, "org": org_id, "on": ON, "now": EPOCH}
    with app.app_context():
        raw = db.engine.raw_connection()  # the DBAPI connection itself: no ORM, no Result objects
        bare = {key: [compiled(sql, values | {"list": lists[key[1]]}) for sql in texts] for key, texts in BARE.items()}
        bare[("save", "frozen")] = [compiled(sql, values) for sql in SAVE_SQL]
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    assert response.status_code == 302, f"login failed: {response.status_code}"
    plain = PeopleFilter(organisation_id=org_id, on=ON)

    def run_bare(statements: list[tuple[str, Any]]) -> tuple[float, Any]:
        cursor = raw.cursor()
        started = time.perf_counter()
        for sql, parameters in statements:
            cursor.execute(sql, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = time.perf_counter() - started
        cursor.close()
        raw.rollback()  # a save is undone; PostgreSQL's implicit transaction ends, outside the timing
        return elapsed, None

    def in_context(action: Callable[[], Any]) -> tuple[float, Any]:
        with app.app_context():
            elapsed, value = timed(action)
            db.session.rollback()  # a save or an export's audit entry is undone
        return elapsed, value

    def page(query: str) -> tuple[float, Any]:
        elapsed, answer = timed(lambda: client.get(f"/contacts/people?{query}"))
        assert answer.status_code == 200, f"page: HTTP {answer.status_code}"
        return elapsed, None

    def export(filters: PeopleFilter, name: str) -> tuple[float, Any]:
        path = out_dir / f"{name}.xlsx"
        return in_context(lambda: service.export("people", "xlsx", actor=None, destination=path, filters=filters))

    def app_side(kind: str, which: str, n: int) -> tuple[float, Any]:
        filters = PeopleFilter(list_id=lists[which])
        if kind == "resolve":
            return in_context(lambda: len(people_ids(filters, 1_000_000)))
        if kind == "count":
            return in_context(lambda: count_people(db.session.get_one(SavedList, lists[which])))
        if kind == "page":
            return page(f"list_id={lists[which]}")
        if kind == "export":
            return export(filters, f"{which}-{n}")
        return in_context(lambda: create_list(f"frozen {n}", "frozen", plain, actor=None).person_count)  # save

    references = {"page": lambda n: page(plain.query_string()), "export": lambda n: export(plain, f"plain-{n}")}
    names = [(kind, which) for kind in ("resolve", "count", "page") for which in ("live", "frozen")]
    names += [("save", "frozen"), ("export", "live"), ("export", "frozen")]
    for kind, which in names[:6]:  # warm-up: caches, compiled templates, the first request's setup
        app_side(kind, which, 0)
        run_bare(bare[(kind, which)])
    results: dict[str, dict] = {}
    for n in range(rounds):
        for kind, which in names:
            entry = results.setdefault(f"{kind} {which}", {"app": [], "bare": [], "plain": [], "rows": None})
            turns = [("app", partial(app_side, kind, which, n))]
            if (kind, which) in bare:
                turns.append(("bare", partial(run_bare, bare[(kind, which)])))
            if kind in references:
                turns.append(("plain", partial(references[kind], n)))
            for side, action in turns if n % 2 == 0 else reversed(turns):
                elapsed, rows = action()
                entry[side].append(elapsed)
                if side == "app" and rows is not None:
                    entry["rows"] = rows
    raw.close()
    return results


def report(results: dict[str, dict]) -> None:
    """Medians in seconds, the slowest round beside the app's, and the ratios the goals judge."""
    print(f"\n{'measurement':<16}{'rows':>7}{'app s':>9}{'max':>8}{'bare SQL':>10}{'ratio':>7}{'plain':>9}{'ratio':>7}")
    verdicts = []
    for name, entry in results.items():
        kind = name.split()[0]
        app_s = statistics.median(entry["app"])
        line = f"{name:<16}{'' if entry['rows'] is None else entry['rows']:>7}{app_s:>9.3f}{max(entry['app']):>8.3f}"
        bare_ratio = plain_ratio = None
        if entry["bare"]:
            bare_s = statistics.median(entry["bare"])
            bare_ratio = app_s / bare_s
            line += f"{bare_s:>10.3f}{bare_ratio:>7.2f}"
        else:
            line += f"{'':>17}"
        if entry["plain"]:
            plain_s = statistics.median(entry["plain"])
            plain_ratio = app_s / plain_s
            line += f"{plain_s:>9.3f}{plain_ratio:>7.2f}"
        print(line)
        if kind in ("resolve", "count"):
            verdicts.append(bare_ratio <= 2 and (kind != "resolve" or app_s < 1))
        elif kind == "page":
            verdicts.append(plain_ratio <= 1.2 and app_s < 0.1)
        elif kind == "export":
            verdicts.append(plain_ratio <= 1.1)
    print(
        "\nbare SQL: hand-written statements on the raw DBAPI cursor; plain: the same page or export by the list's"
        " filter itself\n(D-CAS, 1 June 2018), with no saved list. Goals: resolve and count <= 2 x bare SQL (resolve"
        " < 1 s); the page\nand the export of a list <= 1.2 and 1.1 x the plain filter's, the page < 100 ms:"
        f" {'PASS' if all(verdicts) else 'FAIL'}  [load average {os.getloadavg()[0]:.1f}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary directory")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--members", type=int, default=10_000, help="people in each saved list")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database for EXPLAIN and profiling")
    args = parser.parse_args()
    url, remove = prepare_database(args.database_url)
    directory = tempfile.mkdtemp(prefix="crm-lists-bench-")
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": directory,
              "WTF_CSRF_ENABLED": False, "TESTING": True, "PEOPLE_PER_PAGE": PER_PAGE}  # fmt: skip
    app = create_app(config)
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            rng = random.Random(args.seed)
            counts = seed_people(args.people, rng)
            org_id, roles = seed_delegation(args.members, rng)
            if db.engine.dialect.name == "postgresql":
                # As autovacuum would soon do: statistics and the visibility map of a freshly loaded table.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            print(f"{db.engine.dialect.name}: seeded {counts} and {roles} D-CAS roles in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            plain = PeopleFilter(organisation_id=org_id, on=ON)
            live = create_list("D-CAS 2018", "live", plain, actor=None)
            elapsed, frozen = timed(lambda: create_list("D-CAS 2018, frozen", "frozen", plain, actor=None))
            db.session.commit()
            live_id, frozen_id = live.id, frozen.id
            print(f"saved a live list and a frozen one of {frozen.person_count} people ({elapsed:.3f} s to freeze)")
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("ANALYZE saved_list_member"))
        out_dir = Path(directory) / "exports"
        out_dir.mkdir()
        report(measure(app, org_id, live_id, frozen_id, args.rounds, out_dir))
        with app.app_context():
            db.engine.dispose()
    finally:
        shutil.rmtree(directory)
        if args.keep:
            print(f"kept {url}")
        else:
            remove()


if __name__ == "__main__":
    main()
