"""Benchmark the campaign report page against the bare SQL aggregates it needs.

Seeds (once; later runs reuse the database) 100 000 people and 1 000 000 outreach participations with
their replies over twenty campaigns, with outreach_bench's Core bulk inserts: a few big cases and many
small ones, 70 % of entries in a campaign. Then times GET /reports/campaigns/<id> for the biggest
campaign through the Flask test client with a signed-in user, each request in its own app context, in
rounds of four:
- a view after a change (the report data version moved on just before, as any write would): the page
  shows the figures it had and queues a job to build the report again, since this one is slow to
  build (the benchmark then runs that job, as the worker would, before it times anything else);
- a view with nothing changed: the report kept in the database;
- a view that builds: the same change, with building in the background turned off, as the first view
  of a report does;
- the bare SQL: the statements a build runs (captured from such a view) replayed on the raw DBAPI
  cursor with fetchall, so the build ratio shows what Python, the ORM and the template add to the SQL.
The cross-campaign page (/reports/, all 1 000 000 participations) is timed the same way, for
information. Goals on SQLite and PostgreSQL: p95 of the views people get (after a change and with
nothing changed) < 300 ms, and the build's median <= 2 x its bare SQL; the build's p95 is printed too.

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

from crm import create_app, jobs
from crm.data_version import bump
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


def move_version_on(app) -> None:
    """What any write to report data does: the next view builds the report again."""
    with app.app_context(), db.engine.begin() as connection:
        bump(connection)


def capture(app, client, path: str) -> list[tuple[str, object]]:
    """The statements of a cold view: everything building the report needs."""
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    move_version_on(app)
    with app.app_context():
        engine = db.engine
    background_after, app.config["REPORT_BACKGROUND_AFTER"] = app.config["REPORT_BACKGROUND_AFTER"], None
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
        app.config["REPORT_BACKGROUND_AFTER"] = background_after
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


def run_jobs(app) -> None:
    """What the worker does: run the jobs waiting (the rebuild a view after a change queued)."""
    queue = jobs.huey(app)
    while (task := queue.dequeue()) is not None:
        queue.execute(task)


def timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return elapsed


def measure(app, client, path: str, requests: int) -> dict[str, list[float]]:
    client.get(path)  # warm the compiled-statement cache
    statements = capture(app, client, path)
    background_after = app.config["REPORT_BACKGROUND_AFTER"]
    times: dict[str, list[float]] = {"changed": [], "warm": [], "build": [], "sql": []}
    for _ in range(requests):
        move_version_on(app)
        times["changed"].append(timed(client, path))
        run_jobs(app)  # the build it queued, before anything else is timed
        times["warm"].append(timed(client, path))
        app.config["REPORT_BACKGROUND_AFTER"] = None  # wait for the build, as a first view does
        move_version_on(app)
        times["build"].append(timed(client, path))
        app.config["REPORT_BACKGROUND_AFTER"] = background_after
        times["sql"].append(replay(app, statements))
    return times


def line(name: str, times: dict[str, list[float]]) -> str:
    def figures(key: str) -> str:
        return f"median {statistics.median(times[key]):7.1f} p95 {percentile(times[key], 0.95):7.1f} ms"

    ratio = statistics.median(times["build"]) / statistics.median(times["sql"])
    return (
        f"{name}\n  view after a change {figures('changed')}\n  view, nothing changed {figures('warm')}\n"
        f"  view that builds     {figures('build')}\n  bare SQL             {figures('sql')}\n"
        f"  build ratio (median / bare SQL median) {ratio:4.2f}"
    )


def met(times: dict[str, list[float]]) -> bool:
    views = times["changed"] + times["warm"]
    return percentile(views, 0.95) < 300 and statistics.median(times["build"]) <= 2 * statistics.median(times["sql"])


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
    with tempfile.TemporaryDirectory(prefix="crm-report-bench-instance-") as directory:
        run(args, url, existing, directory)


def run(args, url: str, existing: int, directory: str) -> None:
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
    report = measure(app, client, f"/reports/campaigns/{campaign_id}", args.requests)
    print(line(f"campaign report (#{campaign_id})", report))
    if args.overview_requests:
        # percentile() needs two samples at least.
        print(line("all campaigns (info)", measure(app, client, "/reports/", max(2, args.overview_requests))))
    print(f"load average after timing: {os.getloadavg()[0]:.1f}")
    verdict = "met" if met(report) else "NOT met"
    print(f"goals (p95 of views < 300 ms, build ratio <= 2) for the campaign report: {verdict}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
