"""Benchmark the people export against a bare openpyxl write of the same rows.

Seeds --people people (emails, a phone, roles, tags, some addresses and notes) with Core
bulk inserts into a database it keeps and reuses, then runs three child processes, one
after the other, each a fresh interpreter:
  bare  the rows our export produces, fetched first (not timed), then saved with a plain
        openpyxl write-only workbook: the cost of writing an .xlsx in Python at all;
  xlsx  `crm.exports.service.export("people", "xlsx")`, query included;
  csv   the same to CSV, and how soon its first rows are ready to send.
Each child reports its time and its own peak RSS (VmHWM). Goals: xlsx / bare <= 1.0 and
peak RSS of the export < 200 MB.

    .venv/bin/python bench/export_bench.py
    .venv/bin/python bench/export_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_h5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from crm import create_app
from crm.auth.models import User
from crm.auth.service import create_user
from crm.contacts.models import EmailAddress, ExternalId, Organisation, Person, PhoneNumber, PostalAddress, Role
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.taxonomy.models import Tag, person_tag
from crm.taxonomy.service import categories, ensure_defaults, organisation_types

DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "crm-export-bench.sqlite3"
PG_SCHEMA = "export_bench"  # PostgreSQL: our tables live in this schema, never in the test suite's
MARKER = "export-bench@example.org"
BATCH = 5000
GIVEN = "Jan Petr Zuzana Łukasz Małgorzata Jürgen Käthe François Hélène Žygimantas Ieva Zoltán Ioana Мухтар Ольга"
FAMILY = "Novák Svoboda Kowalski Wiśniewski Müller Schröder Lefèvre Dubois Grybauskas Kalniņš Szőke Ionescu Джакишев Иванов Шевченко Zdechovský"  # fmt: skip
COUNTRIES = ("CZ", "PL", "DE", "FR", "LT", "LV", "HU", "RO", "KZ", "UA", "BY", "BE")
ORGANISATIONS = [  # name, short name, type code
    ("European Parliament", "EP", "parliament"),
    ("Parliamentary Assembly of the Council of Europe", "PACE", "parliament"),
    ("Group of the European People's Party", "EPP", "political_group"),
    ("Progressive Alliance of Socialists and Democrats", "S&D", "political_group"),
    ("Renew Europe", "Renew", "political_group"),
    ("Greens/European Free Alliance", "Greens/EFA", "political_group"),
    ("TOP 09", "", "national_party"),
    ("Law and Justice", "PiS", "national_party"),
    ("Subcommittee on Human Rights", "DROI", "committee"),
    ("Open Dialogue Foundation", "ODF", "ngo"),
    ("Human Rights Watch", "HRW", "ngo"),
    ("Radio Free Europe/Radio Liberty", "RFE/RL", "media"),
]
TAGS = ("Belarus", "Kazakhstan", "Moldova", "Newsletter", "Urgent", "Christmas card", "Conference 2024", "Press")


def person_rows(person_id: int, rng: random.Random, vocab: dict) -> dict[str, list[dict]]:
    given, family = rng.choice(GIVEN.split()), rng.choice(FAMILY.split())
    country = rng.choice(COUNTRIES)
    rows: dict[str, list[dict]] = {name: [] for name in vocab["tables"]}
    domain = rng.choice(("gmail.com", "europarl.europa.eu", "odfoundation.eu", "seznam.cz"))
    emails = [f"person{person_id}@{domain}"] + ([f"p{person_id}@proton.me"] if rng.random() < 0.4 else [])
    for position, address in enumerate(emails):
        rows["email_address"].append({"person_id": person_id, "address": address, "label": "work",
                                      "is_primary": position == 0, "position": position})  # fmt: skip
    # Phones start with "+": every row has a cell the export must neutralise.
    rows["phone_number"].append({"person_id": person_id, "number": f"+420 {rng.randrange(10**8, 10**9)}",
                                 "label": rng.choice(("office", "Mobile")), "is_primary": True, "position": 0})  # fmt: skip
    if rng.random() < 0.5:
        rows["postal_address"].append({"person_id": person_id, "street": f"Rue Wiertz {rng.randrange(1, 200)}",
                                       "postcode": "1047", "city": "Brussels", "country": "BE", "label": "",
                                       "is_primary": True, "position": 0})  # fmt: skip
    held = rng.sample(list(vocab["organisations"]), k=rng.choice((1, 1, 2, 3)))
    for short in held:
        ended = rng.random() < 0.2
        rows["role"].append({"person_id": person_id, "organisation_id": vocab["organisations"][short],
                             "title": rng.choice(("Member", "Director", "Vice-Chair")), "note": "", "source": "",
                             "starts_on": date(2014 + rng.randrange(8), 7, 1),
                             "ends_on": date(2023, 7, 1) if ended else None})  # fmt: skip
    for tag_id in rng.sample(vocab["tags"], k=rng.choice((0, 1, 1, 2, 3))):
        rows["person_tag"].append({"person_id": person_id, "tag_id": tag_id})
    if rng.random() < 0.1:
        rows["external_id"].append({"person_id": person_id, "scheme": "ep", "value": str(100000 + person_id)})
    created = datetime(2019, 7, 1) + timedelta(days=rng.randrange(2000))
    rows["person"].append({
        "id": person_id, "version": 1, "honorific": rng.choice(("", "", "Mr", "Ms", "Dr")), "given_name": given,
        "family_name": family, "patronymic": "", "native_name": "", "country": country,
        "languages": rng.choice(("", "en", "cs,en", "ru,kk")), "category_id": rng.choice(vocab["categories"]),
        "notes": "Met at the hearing; wants the briefing in advance." if rng.random() < 0.2 else "",
        "source": "bench", "lawful_basis": "legitimate_interests", "created_at": created, "updated_at": created,
        "archived": False, "search_text": search_document(given, family, *emails), "sort_key": sort_key(family, given),
    })  # fmt: skip
    return rows


def seed(people: int, rng: random.Random) -> None:
    db.drop_all()
    db.create_all()
    ensure_defaults()
    create_user(MARKER, "bench password 123", role="viewer")
    types = {t.code: t.id for t in organisation_types()}
    organisations = {}
    for org_id, (name, short, code) in enumerate(ORGANISATIONS, start=1):
        organisations[short or name] = org_id
        db.session.execute(insert(Organisation.__table__), [{
            "id": org_id, "version": 1, "name": name, "short_name": short, "type_id": types[code], "created_at": datetime(2019, 1, 1),
            "updated_at": datetime(2019, 1, 1), "search_text": search_document(name, short), "sort_key": sort_key(name)}])  # fmt: skip
    db.session.execute(
        insert(Tag.__table__), [{"id": i, "name": t, "key": t.casefold()} for i, t in enumerate(TAGS, 1)]
    )
    tables = [Person.__table__, EmailAddress.__table__, PhoneNumber.__table__, PostalAddress.__table__,
              Role.__table__, person_tag, ExternalId.__table__]  # fmt: skip
    vocab = {"tables": [t.name for t in tables], "organisations": organisations, "tags": list(range(1, len(TAGS) + 1)),
             "categories": [c.id for c in categories()] + [None]}  # fmt: skip
    for first in range(1, people + 1, BATCH):
        batch: dict[str, list[dict]] = {table.name: [] for table in tables}
        for person_id in range(first, min(first + BATCH, people + 1)):
            for name, rows in person_rows(person_id, rng, vocab).items():
                batch[name] += rows
        for table in tables:
            if batch[table.name]:
                db.session.execute(insert(table), batch[table.name])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in db.metadata.sorted_tables:
                connection.execute(text(f'VACUUM ANALYZE "{table.name}"'))


def seeded(people: int) -> bool:
    """A database an earlier run seeded with as many people, and whose tables still match the models."""
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        if {c.name for c in table.columns} - {c["name"] for c in inspector.get_columns(table.name)}:
            return False
    has_marker = db.session.scalar(select(User.id).where(User.email == MARKER)) is not None
    return has_marker and db.session.scalar(select(func.count()).select_from(Person)) == people


def database_url(requested: str | None) -> str:
    if not requested:
        return f"sqlite:///{DEFAULT_SQLITE}"
    parsed = make_url(requested)
    if parsed.get_backend_name() != "postgresql":
        return requested
    with create_engine(parsed, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{PG_SCHEMA}"'))
    # Every connection then finds the benchmark's tables, and only them, first.
    return parsed.update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(hide_password=False)


def memory_mb(field: str) -> float:
    """A field of /proc/self/status in MB (VmHWM: peak RSS; RssAnon: private memory now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class AnonPeak(threading.Thread):
    """Samples private (anonymous) memory every 10 ms. VmHWM also counts the pages of the
    SQLite file the app maps into memory (PRAGMA mmap_size): those grow with the database
    read, not with what the export holds, so the private peak shows whether memory is flat."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, memory_mb("RssAnon"))
            time.sleep(0.01)


def child(mode: str, url: str, out_dir: Path) -> dict:
    """One measurement, in this fresh process: seconds (wall and CPU), rows, memory."""
    from crm.contacts.search import PeopleFilter
    from crm.exports import service
    from crm.exports.people_rows import people_table
    from crm.spreadsheets.csv import csv_chunks
    from crm.spreadsheets.xlsx_stream import xlsx_chunks

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(out_dir)})
    sampler = AnonPeak()
    sampler.start()
    with app.app_context():
        result: dict = {"anon_before_mb": memory_mb("RssAnon")}
        if mode == "bare":
            from openpyxl import Workbook

            table = people_table(PeopleFilter())
            rows = [tuple(None if value == "" else value for value in row) for row in table]
            started, cpu = time.perf_counter(), time.process_time()
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("People")
            sheet.append(table.labels)
            for row in rows:
                sheet.append(row)
            path = out_dir / "bare.xlsx"
            workbook.save(path)
            count = len(rows)
        else:
            path = out_dir / f"people.{mode}"
            started, cpu = time.perf_counter(), time.process_time()
            count = service.export("people", mode, actor=None, destination=path)
        result.update(seconds=time.perf_counter() - started, cpu=time.process_time() - cpu, rows=count)
        result["size_mb"] = path.stat().st_size / 2**20
        db.session.rollback()
        if mode != "bare":
            # What a download has received when the first rows leave: header or fixed parts, then a block.
            started = time.perf_counter()
            chunks = (csv_chunks if mode == "csv" else xlsx_chunks)(service.build_table("people"))
            next(chunks), next(chunks)
            result["first_rows_ms"] = (time.perf_counter() - started) * 1000
            chunks.close()
            db.session.rollback()
    sampler.running = False
    sampler.join()
    result.update(peak_rss_mb=memory_mb("VmHWM"), peak_anon_mb=sampler.peak)
    return result


def run_child(mode: str, url: str, out_dir: Path) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--database-url", url, "--out", str(out_dir)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode:
        sys.exit(f"{mode} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help=f"default: {DEFAULT_SQLITE}, kept and reused")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="seed again even if the database looks ready")
    parser.add_argument("--rounds", type=int, default=1, help="run each measurement N times, report the median")
    parser.add_argument("--child", choices=("bare", "xlsx", "csv"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.database_url, Path(args.out))))
        return

    url = database_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": tempfile.gettempdir()})
    with app.app_context():
        dialect = db.engine.dialect.name
        if args.fresh or not seeded(args.people):
            started = time.perf_counter()
            seed(args.people, random.Random(args.seed))
            print(f"{dialect}: seeded {args.people} people in {time.perf_counter() - started:.1f} s")
        else:
            print(f"{dialect}: reusing the {args.people} people seeded earlier")
        db.session.remove()
        db.engine.dispose()

    runs: dict[str, list[dict]] = {"bare": [], "xlsx": [], "csv": []}
    with tempfile.TemporaryDirectory(prefix="crm-export-bench-") as out:
        for round_number in range(args.rounds):
            for mode in runs:  # interleaved, so that a busy moment hits every kind alike
                directory = Path(out) / f"{mode}{round_number}"
                directory.mkdir()
                runs[mode].append(run_child(mode, url, directory))
    report(dialect, {mode: median_run(results) for mode, results in runs.items()}, args.rounds)


def median_run(results: list[dict]) -> dict:
    ordered = sorted(results, key=lambda result: result["seconds"])
    return ordered[len(ordered) // 2]


def report(dialect: str, results: dict[str, dict], rounds: int) -> None:
    bare, xlsx, csv = results["bare"], results["xlsx"], results["csv"]
    print(f"\n{'median of ' + str(rounds) + ' round(s)':<36}{'rows':>8}{'wall s':>8}{'CPU s':>7}"
          f"{'peak RSS':>10}{'private':>9}{'file MB':>9}{'first rows':>12}")  # fmt: skip
    for label, result in (("(a) bare openpyxl write-only save", bare), ("(b) our export to xlsx, query incl.", xlsx),
                          ("(c) our export to csv, query incl.", csv)):  # fmt: skip
        first = f"{result['first_rows_ms']:.0f} ms" if "first_rows_ms" in result else ""
        print(f"{label:<36}{result['rows']:>8}{result['seconds']:>8.2f}{result['cpu']:>7.2f}"
              f"{result['peak_rss_mb']:>7.0f} MB{result['peak_anon_mb']:>6.0f} MB{result['size_mb']:>9.1f}{first:>12}")  # fmt: skip
    mapped = "; peak RSS also counts the SQLite file pages the app maps" if dialect == "sqlite" else ""
    print(f"(private memory before the export: {xlsx['anon_before_mb']:.0f} MB{mapped})")
    ratio = xlsx["seconds"] / bare["seconds"]
    rss = max(xlsx["peak_rss_mb"], csv["peak_rss_mb"])
    verdict = "PASS" if ratio <= 1.0 and rss < 200 else "FAIL"
    print(f"\n{dialect}: xlsx / bare = {ratio:.2f} (goal <= 1.0), export peak RSS {rss:.0f} MB (goal < 200): {verdict}"
          f"  [load average {os.getloadavg()[0]:.1f}]")  # fmt: skip


if __name__ == "__main__":
    main()
