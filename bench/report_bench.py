"""Benchmark the campaign report page against the bare SQL aggregates it needs.

Seeds (once; later runs reuse the database) 100 000 people and 1 000 000 outreach participations with
their replies over twenty campaigns, with outreach_bench's Core bulk inserts: a few big cases and many
small ones, 70 % of entries in a campaign. Then times GET /reports/campaigns/<id> for the biggest
campaign through the Flask test client with a signed-in user, each request in its own app context,
interleaved with the bare SQL: the statements that page ran (captured from a warm-up request) replayed
on the raw DBAPI cursor with fetchall, so the ratio shows what Python, the ORM and the template add.
The cross-campaign page (/reports/, all 1 000 000 participations) is timed too, for information.
Goals on SQLite and PostgreSQL: report median <= 2 x its bare SQL, and report p95 < 300 ms.

    .venv/bin/python bench/report_bench.py
    .venv/bin/python bench/report_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_report_bench
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, event, func, inspect, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parent))  # and import the other benchmarks beside it

from outreach_bench import match_models, seed_all
from search_bench import PASSWORD, percentile, prepare_database

from crm import create_app
from crm.extensions import db
from crm.outreach.models import Outreach, Participant

DEFAULT_URL = "sqlite:////tmp/crm-report-bench.sqlite3"


def seeded(url: str) -> int:
    """Participations already in the database at `url`, 0 if it is missing or empty."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return 0
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            if not inspect(connection).has_table("participant"):
                return 0
            return connection.scalar(text("SELECT count(*) FROM participant")) or 0
    except Exception:  # noqa: BLE001  (a PostgreSQL database that does not exist yet)
        return 0
    finally:
        engine.dispose()


def biggest_campaign() -> tuple[int, int]:
    rows = db.session.execute(
        select(Outreach.campaign_id, func.count())
        .join(Participant, Participant.outreach_id == Outreach.id)
        .where(Outreach.campaign_id.is_not(None))
        .group_by(Outreach.campaign_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    return rows[0], rows[1]


def capture(app, client, path: str) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def replay(app, statements: list[tuple[str, object]]) -> float:
    """Milliseconds to run the statements raw on one pooled DBAPI connection, fetching every row."""
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = connection.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            cursor.close()
            elapsed = time.perf_counter() - started
            connection.rollback()
        finally:
            connection.close()
    return elapsed * 1000


def measure(app, client, path: str, requests: int) -> tuple[list[float], list[float]]:
    client.get(path)  # warm the caches and the compiled-statement cache
    statements = capture(app, client, path)
    page_ms, sql_ms = [], []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        sql_ms.append(replay(app, statements))
    return page_ms, sql_ms


def line(name: str, page_ms: list[float], sql_ms: list[float]) -> str:
    page_median, sql_median = statistics.median(page_ms), statistics.median(sql_ms)
    return (
        f"{name:<28} page median {page_median:7.1f} ms  p95 {percentile(page_ms, 0.95):7.1f} ms | "
        f"bare SQL median {sql_median:7.1f} ms  p95 {percentile(sql_ms, 0.95):7.1f} ms | "
        f"ratio {page_median / sql_median:4.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default: {DEFAULT_URL}")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests of the campaign report (2 or more)")
    parser.add_argument("--overview-requests", type=int, default=5, help="timed requests of the cross-campaign page")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = args.database_url
    existing = seeded(url)
    if not existing:
        url, _remove = prepare_database(url)  # refuses PostgreSQL names without "bench"
    directory = tempfile.mkdtemp(prefix="crm-report-bench-instance-")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": directory, "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        if existing:
            print(f"reusing {existing} participations in {make_url(url).render_as_string()}")
            match_models()
        else:
            seed_all(args)
        campaign_id, participations = biggest_campaign()
        total = db.session.scalar(select(func.count()).select_from(Participant))
        dialect = db.engine.dialect.name
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    print(f"{dialect}: {total} participations; campaign #{campaign_id} has {participations}")
    print(f"load average before timing: {os.getloadavg()[0]:.1f}")
    page_ms, sql_ms = measure(app, client, f"/reports/campaigns/{campaign_id}", args.requests)
    print(line(f"campaign report (#{campaign_id})", page_ms, sql_ms))
    goal = statistics.median(page_ms) <= 2 * statistics.median(sql_ms) and percentile(page_ms, 0.95) < 300
    if args.overview_requests:
        # percentile() needs two samples at least.
        overview_ms, overview_sql_ms = measure(app, client, "/reports/", max(2, args.overview_requests))
        print(line("all campaigns (info)", overview_ms, overview_sql_ms))
    print(f"goals (ratio <= 2, p95 < 300 ms) for the campaign report: {'met' if goal else 'NOT met'}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
