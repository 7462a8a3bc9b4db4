"""Benchmark the dashboard, person pages and the awaiting-reply queue against the bare SQL they need.

Seeds --people people (search_bench's generator), twenty campaigns with milestones, outreach entries
over eight years and --participations participants with their replies, then times GET / (dashboard),
GET /contacts/people/<id> for a typical and a heavy contact, and GET /outreach/awaiting. Interleaved
with each request it replays the statements that page executes: captured from a warm-up request by a
before_cursor_execute listener (all of them, the login's user lookup included), then run as the same
SQL strings and parameters on the raw DBAPI cursor and fetched. The ratio shows what the ORM, Flask and
the templates add on top, and the bare SQL follows the code whenever the services change.
Goal on SQLite and PostgreSQL: request p95 < 100 ms and request/SQL p95 ratio <= 2 on every page.

    .venv/bin/python bench/outreach_bench.py
    .venv/bin/python bench/outreach_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_bench_outreach
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
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parent))  # and import the search benchmark beside it

from search_bench import PASSWORD, percentile, prepare_database
from search_bench import seed as seed_people

from crm import create_app
from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.campaigns.models import Campaign, Milestone
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.taxonomy.models import Category, OutreachKind, ResponseOutcome
from crm.timeutil import today

BATCH = 20_000  # participants per executemany
CHUNK = 500  # outreach entries generated and inserted together with their participants
YEARS = 8
CAMPAIGNS = 20
ACTIVE_CAMPAIGNS = 14
HEAVY_ON = 2000  # outreach entries the heavy contact (an MEP everyone writes to) is on
POOL = 2000  # MEPs, PACE deputies and MPs: a third of every mailing goes to them
REPLY_RATE = 0.12  # of recipients: about 100 000 replies for a million participations
# Outreach kind code: (share of entries, shape). Shapes: "mail" everybody is a recipient; "letter" one
# author and recipients; "joint" signatories and up to three recipients; "declaration" signatories only;
# "small" 1-5 recipients (a meeting, a call); "question" an MEP asks an institution; "statement" an author.
KINDS = {"letter": (30, "letter"), "email": (22, "mail"), "meeting": (10, "small"), "call": (8, "small"),
         "written_question": (5, "question"), "joint_letter": (7, "joint"), "written_declaration": (5, "declaration"),
         "public_statement": (3, "statement"), "event": (4, "mail"), "petition": (3, "declaration"),
         "other": (3, "small")}  # fmt: skip
BIG_SHAPES = ("mail", "letter", "joint", "declaration")
CHANNELS = ("letter", "email", "email", "email", "meeting", "call", "written_answer")
CASES = ("Dzhakishev", "Viasna defenders", "Belarusian journalists", "Crimean Tatars", "Moldovan judges",
         "Azerbaijani bloggers", "Kazakh trade unions", "Kyrgyz media", "Georgian activists", "Russian lawyers")  # fmt: skip
# Not judged: the cheapest signed-in page (the user lookup, a form, the base template), the floor under every ratio.
FLOOR = ("floor (reference)", "/account/password")
INSTITUTION_ID = 9  # search_bench's organisations: the EEAS, to which written questions go


def spread_sizes(rng: random.Random, shapes: list[str], total: int, people: int) -> list[int]:
    """Participants per outreach entry: a few for meetings and questions, a long tail for mailings; `total` exactly."""
    fixed = {"small": lambda: rng.randint(1, 5), "question": lambda: 2, "statement": lambda: 1}
    sizes = [fixed[shape]() if shape in fixed else 0 for shape in shapes]
    big = [i for i, shape in enumerate(shapes) if shape in BIG_SHAPES]
    weights = {i: rng.lognormvariate(0, 1.3) for i in big}
    remaining, cap = total - sum(sizes), max(2, min(people // 4, 8000))
    weight_sum = sum(weights.values())
    for i in big:
        sizes[i] = min(cap, max(2, int(remaining * weights[i] / weight_sum)))
    deficit = total - sum(sizes)
    while deficit:  # rounding and the cap: nudge random mailings by one until the total is exact
        i = rng.choice(big)
        step = 1 if deficit > 0 else -1
        if 1 <= sizes[i] + step <= cap:
            sizes[i] += step
            deficit -= step
    return sizes


def pick_people(rng: random.Random, size: int, people: int, pool: list[int], heavy: int | None) -> list[int]:
    """`size` distinct people, a third of them from the MEP pool, the heavy contact among them if given."""
    chosen = set(rng.sample(pool, min(len(pool), size // 3)))
    while len(chosen) < size:
        chosen.add(rng.randint(1, people))
    if heavy is not None and heavy not in chosen:
        chosen.remove(min(chosen))
        chosen.add(heavy)
    ordered = sorted(chosen)
    rng.shuffle(ordered)
    return ordered


def outreach_rows(rng: random.Random, vocab: dict, args: argparse.Namespace) -> Iterator[dict[str, list[dict]]]:
    """Outreach entries in chunks, each with its participants and replies; reply states and counters as
    the outreach services keep them (open_state, recompute_reply_states, refresh_counts)."""
    entries, as_of = vocab["entries"], vocab["today"]
    codes = rng.choices(list(KINDS), weights=[share for share, _ in KINDS.values()], k=entries)
    sizes = spread_sizes(rng, [KINDS[code][1] for code in codes], args.participations, args.people)
    with_heavy = set(rng.sample([i for i, size in enumerate(sizes) if size >= 2], min(HEAVY_ON, entries // 5)))
    campaign_weights = [1 / rank for rank in range(1, CAMPAIGNS + 1)]  # a few big cases, many small ones
    participant_id = response_id = 1
    for first in range(0, entries, CHUNK):
        chunk: dict[str, list[dict]] = {"outreach": [], "participant": [], "response": []}
        for i in range(first, min(first + CHUNK, entries)):
            outreach_id, code, shape = i + 1, codes[i], KINDS[codes[i]][1]
            kind_id, reply_after_days = vocab["kinds"][code]
            draft = rng.random() < 0.01
            sent_on = None if draft else as_of - timedelta(days=rng.randrange(YEARS * 365))
            age = (as_of - sent_on).days if sent_on else 0
            closed = not draft and rng.random() < (0.85 if age > 365 else 0.05)
            due = sent_on + timedelta(days=reply_after_days) if sent_on else None
            persons = pick_people(rng, sizes[i] - (shape == "question"), args.people, vocab["pool"],
                                  vocab["heavy"] if i in with_heavy else None)  # fmt: skip
            if shape in ("letter", "question", "statement"):
                roles = ["from"] + ["to"] * (len(persons) - 1)
            elif shape == "joint":
                recipients = min(3, len(persons) - 1)
                roles = ["signatory"] * (len(persons) - recipients) + ["to"] * recipients
            else:
                roles = ["signatory" if shape == "declaration" else "to"] * len(persons)
            parties = [(person_id, None, role) for person_id, role in zip(persons, roles, strict=True)]
            if shape == "question":
                parties.append((None, INSTITUTION_ID, "to"))
            recipients = replied = 0
            for person_id, organisation_id, role in parties:
                state, due_on, replied_on = "none", None, None
                recipients += role == "to"  # drafts count their recipients too (refresh_counts)
                if role == "to" and not draft:
                    if person_id and rng.random() < REPLY_RATE:
                        state, replied_on = "replied", min(as_of, sent_on + timedelta(days=rng.randint(1, 60)))
                        replied += 1
                        follow_up = replied_on + timedelta(days=14) if rng.random() < 0.05 else None
                        chunk["response"].append({
                            "id": response_id, "outreach_id": outreach_id, "person_id": person_id,
                            "organisation_id": None, "received_on": replied_on, "channel": rng.choice(CHANNELS),
                            "summary": "", "url": "", "outcome_id": rng.choice(vocab["outcomes"]), "action_taken": "",
                            "follow_up_on": follow_up, "created_at": datetime.combine(replied_on, datetime.min.time()),
                            "created_by_id": vocab["user_id"],
                        })  # fmt: skip
                        response_id += 1
                    elif closed:
                        state = "closed"
                    else:
                        state, due_on = "awaiting", due
                chunk["participant"].append({
                    "id": participant_id, "outreach_id": outreach_id, "person_id": person_id,
                    "organisation_id": organisation_id, "role": role, "reply_state": state,
                    "reply_due_on": due_on, "replied_on": replied_on,
                })  # fmt: skip
                participant_id += 1
                if person_id:
                    vocab["counts"][person_id] += 1
            if draft or closed:  # refresh_counts leaves these two as they are
                status = "draft" if draft else "closed"
            elif not recipients:
                status = "sent"
            else:
                status = "answered" if replied == recipients else "awaiting"
            campaign_id = rng.choices(vocab["campaigns"], campaign_weights)[0] if rng.random() < 0.7 else None
            created = datetime.combine(sent_on or as_of, datetime.min.time())
            chunk["outreach"].append({
                "id": outreach_id, "version": 1, "kind_id": kind_id, "sent_on": sent_on,
                "subject": f"{code.replace('_', ' ').capitalize()} on {rng.choice(CASES)} #{outreach_id}",
                "summary": "", "campaign_id": campaign_id, "reference": "", "url": "", "status": status,
                "follow_up_on": sent_on + timedelta(days=30) if sent_on and rng.random() < 0.1 else None,
                "owner_id": vocab["user_id"], "prompted_by_response_id": None, "recipient_count": recipients,
                "replied_count": replied, "created_at": created, "updated_at": created,
                "created_by_id": vocab["user_id"],
            })  # fmt: skip
        yield chunk


def seed_outreach(rng: random.Random, args: argparse.Namespace, user_id: int) -> tuple[dict[str, int], dict]:
    """Campaigns, milestones, outreach, participants and replies, in Core executemany batches with explicit ids."""
    as_of = today()
    categories = select(Category.id).where(Category.code.in_(("mep", "pace_deputy", "national_mp")))
    members = list(
        db.session.scalars(
            select(Person.id).where(Person.category_id.in_(categories), Person.archived.is_(False)).order_by(Person.id)
        )
    )
    pool = rng.sample(members, min(POOL, len(members)))
    vocab = {"today": as_of, "user_id": user_id, "pool": pool, "heavy": pool[0], "counts": [0] * (args.people + 1),
             "entries": min(20_000, max(2_000, args.participations // 100)),
             "kinds": {k.code: (k.id, k.reply_after_days) for k in db.session.scalars(select(OutreachKind))},
             "outcomes": list(db.session.scalars(select(ResponseOutcome.id))),
             "campaigns": list(range(1, CAMPAIGNS + 1))}  # fmt: skip
    subjects = rng.sample(range(1, args.people + 1), CAMPAIGNS)
    names = dict(db.session.execute(select(Person.id, Person.family_name).where(Person.id.in_(subjects))).all())
    campaigns, milestones = [], []
    for campaign_id, subject_id in enumerate(subjects, start=1):
        status = "active" if campaign_id <= ACTIVE_CAMPAIGNS else rng.choice(("on_hold", "won", "closed"))
        started = as_of - timedelta(days=rng.randrange(YEARS * 365))
        campaigns.append({"id": campaign_id, "version": 1, "name": f"Free {names[subject_id]} ({campaign_id})",
                          "subject_person_id": subject_id, "status": status, "description": "",
                          "created_at": started, "updated_at": started})  # fmt: skip
        dates = [started + timedelta(days=rng.randrange(max(1, (as_of - started).days))) for _ in range(4)]
        if status == "active" and campaign_id % 3:  # two active cases in three have a hearing within 90 days
            dates.append(as_of + timedelta(days=rng.randint(2, 89)))
        dates.append(as_of + timedelta(days=rng.randint(120, 400)))
        for on in sorted(dates):
            milestones.append({"campaign_id": campaign_id, "on": on, "title": f"Hearing on {on:%d %B %Y}",
                               "description": "", "url": ""})  # fmt: skip
    db.session.execute(insert(Campaign.__table__), campaigns)
    db.session.execute(insert(Milestone.__table__), milestones)
    counts = {"campaign": len(campaigns), "milestone": len(milestones), "outreach": 0, "participant": 0, "response": 0}
    tables = {"outreach": Outreach.__table__, "participant": Participant.__table__, "response": Response.__table__}
    for chunk in outreach_rows(rng, vocab, args):
        for name, table in tables.items():  # parents first
            rows = chunk[name]
            for start in range(0, len(rows), BATCH):
                db.session.execute(insert(table), rows[start : start + BATCH])
            counts[name] += len(rows)
    # Recent edits for the dashboard's "recent changes"; ids left to the database (create_user wrote one).
    changes = [{"at": datetime.combine(as_of, datetime.min.time()) - timedelta(hours=hour), "actor_id": user_id,
                "entity_type": "person", "entity_id": rng.randint(1, args.people), "action": "update",
                "version": 2, "changes": {"notes": ["", "Met in Strasbourg"]}} for hour in range(300)]  # fmt: skip
    db.session.execute(insert(AuditEntry.__table__), changes)
    db.session.commit()
    return counts, vocab


def typical_person(rng: random.Random, counts: list[int]) -> int:
    """A contact on the median number of outreach entries (counting everybody, the many never contacted too)."""
    median = int(statistics.median(counts[1:]))
    return rng.choice([person_id for person_id, count in enumerate(counts) if person_id and count == median])


def label(sql: str) -> str:
    """`count participant` or `participant+outreach+person`: enough to tell a page's statements apart."""
    tables = list(dict.fromkeys(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql)))
    head = sql.lstrip()[:40].lower()
    return ("count " if head.startswith("select count") else "") + "+".join(tables)


def capture(app, client, path: str) -> list[tuple[str, Any]]:
    """Every statement one request to `path` executes, with its DBAPI parameters."""
    with app.app_context():
        engine = db.engine
    statements: list[tuple[str, Any]] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
    return statements


def measure(app, pages: list[tuple[str, str]], requests: int) -> dict[str, dict]:
    """Request and bare-SQL milliseconds per page, and each statement's own times.

    Called outside any app context, so that every request pushes its own as in production: a fresh
    session, the user loaded from the login cookie, the session removed at teardown."""
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    assert response.status_code == 302, f"login failed: {response.status_code}"
    for _, path in pages:  # the first request of a page compiles its template and fills SQLAlchemy's caches
        client.get(path)
    results = {name: {"path": path, "statements": capture(app, client, path), "request": [], "sql": []}
               for name, path in pages}  # fmt: skip
    for result in results.values():
        result["each"] = [[] for _ in result["statements"]]
    with app.app_context():
        raw = db.engine.raw_connection()  # the DBAPI connection itself: no ORM, no Result objects

    def time_request(name: str) -> float:
        started = time.perf_counter()
        response = client.get(results[name]["path"])
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
        return elapsed * 1000

    def time_sql(name: str) -> float:
        cursor = raw.cursor()
        total = 0.0
        for position, (sql, parameters) in enumerate(results[name]["statements"]):
            started = time.perf_counter()
            cursor.execute(sql, parameters)
            cursor.fetchall()
            elapsed = time.perf_counter() - started
            results[name]["each"][position].append(elapsed * 1000)
            total += elapsed
        cursor.close()
        raw.rollback()  # end PostgreSQL's implicit transaction, outside the timing
        return total * 1000

    for _ in range(3):  # warm-up: page cache, statement caches, psycopg's prepared statements
        for name in results:
            time_request(name)
            time_sql(name)
    for result in results.values():
        result["each"] = [[] for _ in result["statements"]]
    for i in range(max(requests, 2)):
        for name in results:
            # Interleave, alternating which goes first, so drift and caching hit both sides alike.
            if i % 2:
                results[name]["sql"].append(time_sql(name))
                results[name]["request"].append(time_request(name))
            else:
                results[name]["request"].append(time_request(name))
                results[name]["sql"].append(time_sql(name))
    raw.close()
    return results


def slowest(result: dict, count: int) -> list[tuple[int, float]]:
    """(position, median ms) of the page's slowest statements."""
    medians = [(position, statistics.median(times)) for position, times in enumerate(result["each"])]
    return sorted(medians, key=lambda item: -item[1])[:count]


def report(results: dict[str, dict], dialect: str) -> None:
    print(f"\n{'page':<18}{'stmts':>6}  {'request ms':>15}  {'bare SQL ms':>15}  {'ratio':>11}  {'extra':>6}")
    print(f"{'':<26}{'median':>8}{'p95':>8}{'median':>9}{'p95':>8}{'median':>7}{'p95':>6}{'ms':>8}")
    verdicts = {}
    for name, result in results.items():
        req, sql = result["request"], result["sql"]
        req_med, req_p95 = statistics.median(req), percentile(req, 0.95)
        sql_med, sql_p95 = statistics.median(sql), percentile(sql, 0.95)
        if name != FLOOR[0]:
            verdicts[name] = (req_p95, req_p95 / sql_p95)
        # extra: median request minus median bare SQL, what the ORM, the template and Flask cost in absolute terms
        print(f"{name:<18}{len(result['statements']):>6}{req_med:>8.1f}{req_p95:>8.1f}{sql_med:>9.1f}{sql_p95:>8.1f}"
              f"{req_med / sql_med:>7.2f}{req_p95 / sql_p95:>6.2f}{req_med - sql_med:>8.1f}")  # fmt: skip
    print("\nslowest statements (median ms of the bare SQL, position in the page's order):")
    for name, result in results.items():
        if name == FLOOR[0]:
            continue
        parts = [f"#{position + 1} {label(result['statements'][position][0])} {ms:.1f}"
                 for position, ms in slowest(result, 3)]  # fmt: skip
        print(f"  {name:<18}" + "; ".join(parts))
    print()
    for name, (p95, ratio) in verdicts.items():
        verdict = "PASS" if p95 < 100 and ratio <= 2 else "FAIL"
        print(f"{name} p95 {p95:.1f} ms (goal < 100 ms), ratio p95 {ratio:.2f} (goal <= 2): {verdict}")
    passed = sum(p95 < 100 and ratio <= 2 for p95, ratio in verdicts.values())
    print(f"outreach pages on {dialect}: {passed} of {len(verdicts)} pass  [load average {os.getloadavg()[0]:.1f}]")


def explain(app, results: dict[str, dict], count: int) -> None:
    """The plans of each page's slowest statements: EXPLAIN QUERY PLAN, or EXPLAIN ANALYZE on PostgreSQL."""
    with app.app_context():
        raw = db.engine.raw_connection()
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    cursor = raw.cursor()
    for name, result in results.items():
        if name == FLOOR[0]:
            continue
        for position, ms in slowest(result, count):
            sql, parameters = result["statements"][position]
            print(f"\n--- {name} #{position + 1} ({ms:.1f} ms): {parameters}\n{sql}\n---")
            cursor.execute(prefix + sql, parameters)
            for row in cursor.fetchall():
                print("  " + " ".join(str(column) for column in row))
    raw.rollback()
    raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary directory")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=150, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database for EXPLAIN and profiling")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="print the plans of each page's N slowest statements")  # fmt: skip
    args = parser.parse_args()
    url, remove = prepare_database(args.database_url)
    directory = tempfile.mkdtemp(prefix="crm-outreach-bench-instance-")
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": directory,
              "WTF_CSRF_ENABLED": False, "TESTING": True}  # fmt: skip
    app = create_app(config)
    rng = random.Random(args.seed)
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            counts = seed_people(args.people, rng)
            people_s = time.perf_counter() - started
            user_id = db.session.scalar(select(User.id).where(User.email == "bench@example.org"))
            outreach_counts, vocab = seed_outreach(rng, args, user_id)
            if db.engine.dialect.name == "postgresql":
                # Autovacuum would vacuum and analyse freshly inserted tables within a minute (PostgreSQL 13+
                # vacuums insert-only tables too): don't time stale statistics or an empty visibility map.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            dialect = db.engine.dialect.name
            print(f"{dialect}: seeded {counts | outreach_counts} in {time.perf_counter() - started:.1f} s"
                  f" (people {people_s:.1f} s)")  # fmt: skip
        heavy, typical = vocab["heavy"], typical_person(rng, vocab["counts"])
        print(f"person pages: typical #{typical} on {vocab['counts'][typical]} outreach entries,"
              f" heavy #{heavy} on {vocab['counts'][heavy]}")  # fmt: skip
        pages = [("dashboard", "/"), ("person (typical)", f"/contacts/people/{typical}"),
                 ("person (heavy)", f"/contacts/people/{heavy}"), ("awaiting queue", "/outreach/awaiting"), FLOOR]  # fmt: skip
        print(f"load average before timing: {os.getloadavg()[0]:.1f}")
        results = measure(app, pages, args.requests)
        report(results, dialect)
        if args.explain:
            explain(app, results, args.explain)
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
