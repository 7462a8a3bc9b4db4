"""Benchmark the import: our whole pipeline against bare parsing of the same workbook, in one run.

Makes a 100 000-row, 10-column contacts workbook (names with diacritics and in Cyrillic, emails,
phones, countries written three ways, organisations, roles, groups, tags, notes), then times:

- a bare openpyxl read-only parse (every row's values, nothing else),
- a bare python-calamine read of the sheet,
- our full import (read, find the header, map, normalise, validate, match, insert) into a fresh
  SQLite file and into a fresh PostgreSQL database, and a dry run of it on each,

and prints the ratios to the calamine read and our peak RSS (the importing process and its reader
child, each measured as VmHWM / ru_maxrss). Each import runs in its own process, so its memory
is its own. Goals: import ≤ 3 × calamine on SQLite and ≤ 4 × on PostgreSQL, peak RSS < 250 MB,
dry run no slower than the import.

    .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --rows 20000 --no-postgres
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
import time
from pathlib import Path

from anyascii import anyascii

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/crm_import_bench"
HEADER = ["Family name", "Given name", "E-mail", "Phone", "Country", "Organisation", "Role", "Political group",
          "Tags", "Notes"]  # fmt: skip
FAMILY = ["Novák", "Svoboda", "Dvořák", "Zdechovský", "Kowalski", "Wiśniewski", "Müller", "Schröder", "Lefèvre", "Dubois", "Szőke", "Ionescu", "Kalniņš", "Grybauskas", "Popescu", "Bérenger", "Štětina", "Łukaszewicz", "Tóth", "Kazlauskas"]  # fmt: skip
CYRILLIC = ["Джакишев", "Иванов", "Смирнов", "Кузнецов", "Тургунбаев", "Шевченко", "Тихонов", "Щербаков"]
STEMS = ["Hor", "Kol", "Mal", "Pet", "Vys", "Stan", "Dub", "Lip", "Sed", "Hol", "Kow", "Now", "Lew", "Jank", "Mazur", "Krawcz", "Zaj", "Pawl", "Grab", "Hof", "Berg", "Stein", "Wald", "Feld", "Chev", "Fontan", "Mor", "Lav", "Ber", "Vaitk", "Petr", "Jon", "Kaz", "Stank", "Bal", "Horv", "Szab", "Dumitr", "Constantin"]  # fmt: skip
SUFFIXES = ["ecký", "ovský", "ínek", "ák", "íček", "ař", "alski", "icki", "ewicz", "czyk", "owski", "mann", "er", "bauer", "hauser", "alier", "elle", "ières", "ūnas", "aitis", "evičius", "ázs", "áth", "escu", "eanu"]  # fmt: skip
CYRILLIC_STEMS = [
    "Бел",
    "Горд",
    "Сав",
    "Прох",
    "Твер",
    "Ляш",
    "Мур",
    "Зар",
    "Кир",
    "Лаз",
    "Жук",
    "Щерб",
    "Тих",
    "Шевч",
    "Кузн",
    "Смирн",
    "Попл",
    "Морг",
]
CYRILLIC_SUFFIXES = ["ов", "ев", "ин", "енко", "ский", "чук", "ович", "ук"]
GIVEN = [
    "Jan",
    "Tomáš",
    "Zuzana",
    "Łukasz",
    "Małgorzata",
    "Jürgen",
    "Hélène",
    "Zoltán",
    "Ágnes",
    "Ioana",
    "Jānis",
    "Dalia",
    "Мухтар",
    "Ольга",
]
COUNTRIES = ["CZ", "Poland", "Deutschland", "France", "HU", "Romania", "Latvia", "Lithuania", "Казахстан", "Belgique"]
ORGANISATIONS = ["European Parliament", "PACE", "Freedom House", "Human Rights Watch", "Amnesty International",
                 "Norwegian Helsinki Committee", "Open Dialog Foundation", "European Commission"]  # fmt: skip
ROLES = ["Member", "Director", "Adviser", "Policy officer", "Vice-President", ""]
GROUPS = ["EPP", "S&D", "Renew", "Greens/EFA", "ECR", "The Left", "", "", ""]
TAGS = ["kazakhstan", "mep", "pace", "ngo", "press", "urgent", ""]


def make_workbook(path: Path, rows: int, seed: int = 1) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)  # rows go to a temporary file, so memory stays flat
    sheet = book.create_sheet("Contacts")
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        cyrillic = rng.random() < 0.15
        # Mostly distinct people, as in a real list: a long tail of family names, a few common ones.
        if cyrillic:
            family = (
                rng.choice(CYRILLIC_STEMS) + rng.choice(CYRILLIC_SUFFIXES)
                if rng.random() < 0.8
                else rng.choice(CYRILLIC)
            )
        elif rng.random() < 0.2:
            family = rng.choice(FAMILY)
        else:
            family = rng.choice(STEMS) + rng.choice(SUFFIXES) + rng.choice(("", "-" + rng.choice(STEMS) + "ová"))
        given = rng.choice(GIVEN)
        local = anyascii(f"{given[:1]}.{family}{number}").lower().replace(" ", "").replace("'", "")
        row = [
            family,
            given,
            f"  {local}@example.org " if rng.random() < 0.2 else f"{local}@example.org",
            f"+32 2 284 {rng.randrange(1000, 9999)}" if rng.random() < 0.5 else "",
            rng.choice(COUNTRIES),
            rng.choice(ORGANISATIONS),
            rng.choice(ROLES),
            rng.choice(GROUPS),
            ", ".join(sorted({rng.choice(TAGS), rng.choice(TAGS)} - {""})),
            "Met at the hearing on Kazakhstan." if rng.random() < 0.1 else "",
        ]
        sheet.append([value or None for value in row])  # an empty cell, not an empty string
    book.save(path)


def bare_openpyxl(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for _row in book.active.iter_rows(values_only=True):
        pass
    book.close()
    return time.perf_counter() - start


def bare_calamine(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for _row in sheet.iter_rows():
        pass
    return time.perf_counter() - start


def fresh_schema() -> None:
    """An empty database built as the README builds one, by the migrations: with the people search's
    trigram index and, on SQLite, the triggers that keep it, which every person row written pays for."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from crm import MIGRATIONS_DIR
    from crm.extensions import db
    from crm.taxonomy.service import ensure_defaults

    db.session.remove()  # its transaction would keep PostgreSQL's DROP TABLE waiting
    db.drop_all()
    with db.engine.begin() as connection:  # what the models do not know of
        for name in ("person_search", "alembic_version"):
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    upgrade(directory=MIGRATIONS_DIR)
    ensure_defaults()
    db.session.commit()


def child_import(url: str, path: str, dry_run: bool) -> None:
    """Runs in its own process: a fresh schema, then one import, timed; prints a JSON line."""
    from crm import create_app
    from crm.imports.pipeline import ImportOptions, run_import

    instance = tempfile.mkdtemp(prefix="crm-import-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": instance})
    with app.app_context():
        fresh_schema()
        start = time.perf_counter()
        result = run_import(path, ImportOptions(dry_run=dry_run), actor=None)
        seconds = time.perf_counter() - start
    own = _vm_hwm_mb()
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": own, "reader_rss_mb": reader, "counts": dict(result.counts)}))


def child_bare_writes(url: str, path: str) -> None:
    """Runs in its own process: an import whose INSERTs, UPDATEs, DELETEs and COPYs are captured, then
    the same statements with the same parameters replayed on a fresh schema through the raw DBAPI
    cursor and timed: what writing the imported rows costs the database driver at all. Prints a
    JSON line."""
    from sqlalchemy import event

    from crm import create_app
    from crm.extensions import db
    from crm.imports.pipeline import ImportOptions, run_import
    from crm.sql import bulk_insert as bulk

    writes: list[tuple[str, object, bool]] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append((statement, parameters, executemany))

    copy = bulk._copy  # PostgreSQL's bulk rows go by COPY, which the engine's events do not see

    def record_copy(connection, table, processors, rows):
        values = [[p(row[k]) if p else row[k] for k, p in processors] for row in rows]
        columns = ", ".join(key for key, _processor in processors)
        writes.append((f"COPY {table.name} ({columns}) FROM STDIN", values, True))
        copy(connection, table, processors, rows)

    instance = tempfile.mkdtemp(prefix="crm-import-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": instance})
    with app.app_context():
        fresh_schema()
        event.listen(db.engine, "before_cursor_execute", record)
        bulk._copy = record_copy
        run_import(path, ImportOptions(), actor=None)
        bulk._copy = copy
        event.remove(db.engine, "before_cursor_execute", record)
        fresh_schema()
        connection = db.engine.raw_connection()
        cursor = connection.cursor()
        start = time.perf_counter()
        for statement, parameters, many in writes:
            if statement.startswith("COPY"):
                with cursor.copy(statement) as stream:
                    for values in parameters:
                        stream.write_row(values)
            elif many:
                cursor.executemany(statement, parameters)
            else:
                cursor.execute(statement, parameters)
        connection.commit()
        seconds = time.perf_counter() - start
        connection.close()
    rows = sum(len(parameters) if many else 1 for _statement, parameters, many in writes)
    print(json.dumps({"seconds": seconds, "statements": len(writes), "rows": rows}))


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(url: str, path: Path, dry_run: bool = False, bare_writes: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", url, str(path)] + (["--dry-run"] if dry_run else [])
    command += ["--bare-writes"] if bare_writes else []
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare_postgres() -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS crm_import_bench WITH (FORCE)"))
            connection.execute(text("CREATE DATABASE crm_import_bench"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 — a bench reports and goes on
        print(f"PostgreSQL unavailable ({error}); skipping it")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-writes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.bare_writes:
        child_bare_writes(args.child[0], args.child[1])
        return
    if args.child:
        child_import(args.child[0], args.child[1], args.dry_run)
        return

    folder = Path(tempfile.mkdtemp(prefix="crm-import-bench-"))
    workbook = folder / f"contacts-{args.rows}.xlsx"
    start = time.perf_counter()
    make_workbook(workbook, args.rows)
    print(f"workbook: {args.rows} rows × {len(HEADER)} columns, {workbook.stat().st_size / 1e6:.1f} MB, "
          f"written in {time.perf_counter() - start:.1f} s")  # fmt: skip

    openpyxl_s = bare_openpyxl(workbook)
    calamine_s = min(bare_calamine(workbook) for _ in range(2))
    print(f"bare openpyxl read-only parse: {openpyxl_s:6.2f} s")
    print(f"bare calamine read:            {calamine_s:6.2f} s")

    targets = [("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}", 3.0)]
    if not args.no_postgres and prepare_postgres():
        targets.append(("postgresql", PG_URL, 4.0))
    verdicts = []
    for name, url, goal in targets:
        real = run_child(url, workbook, dry_run=False)
        dry = run_child(url, workbook, dry_run=True)
        bare = run_child(url, workbook, bare_writes=True)
        ratio = real["seconds"] / calamine_s
        rss = max(real["rss_mb"], real["reader_rss_mb"])
        print(
            f"{name:10} import {real['seconds']:6.2f} s = {ratio:4.2f} × calamine (goal ≤ {goal:.0f}), "
            f"{real['seconds'] / openpyxl_s:4.2f} × openpyxl; dry run {dry['seconds']:6.2f} s; "
            f"peak RSS {real['rss_mb']:.0f} MB (reader child {real['reader_rss_mb']:.0f} MB); {real['counts']}"
        )
        print(
            f"{'':10} its writes alone, replayed on the raw DBAPI cursor: {bare['seconds']:6.2f} s = "
            f"{bare['seconds'] / calamine_s:4.2f} × calamine ({bare['rows']} rows in {bare['statements']} statements)"
        )
        verdicts.append(ratio <= goal and rss < 250 and dry["seconds"] <= real["seconds"] * 1.05)
    print("PASS" if all(verdicts) else "FAIL", f"[load average {os.getloadavg()[0]:.1f}]")


if __name__ == "__main__":
    main()
