"""Load benchmark: simulated staff on the team deployment while a large import runs, and the import alone.

The team deployment is gunicorn, PostgreSQL, Redis and one job worker.

Creates a scratch PostgreSQL database (its name must contain "bench"), migrates it as a deployment does
(`flask db upgrade`), seeds it through the services (see load_seed.py) and copies it as a second scratch
database. Then, as the README's team deployment, with Redis db --jobs-url (flushed before and after):

    gunicorn --workers 4 --bind 127.0.0.1:PORT wsgi:app
    flask --app wsgi crm worker

After a few seconds of untimed requests (every gunicorn worker has loaded the app and compiled its
templates), one person does every action of the mix --baseline times with no pauses: each kind of
request's time without load, the reference of the "ratio p95" column. Then --staff editors sign in
through the login form, one after another over the first seconds, and browse, search, log outreach and
replies for --seconds (see load_staff.py). Once all have signed in, one more editor takes an
--import-rows workbook through the import wizard (upload, mapping, preview, confirm, run by the worker);
the load goes on until the import ends. Then the servers start again on the copy, and after the same
warm-up the same import goes through the wizard with nobody else around: the ratio of the two times is
what the load costs the import. Everything listens on 127.0.0.1 only.

Prints, per kind of request and overall: count, errors (non-2xx/3xx answers, timeouts, refused
connections), p50/p95/p99 and requests per second; the import's times under load and alone; and a summary
line judging the goals: no errors, p95 < 300 ms. Servers are stopped, the databases dropped and the Redis
db flushed at the end, after an error and on Ctrl-C; --cap bounds the whole run.

    .venv/bin/python bench/load_bench.py
    .venv/bin/python bench/load_bench.py --seconds 20 --staff 20 --import-rows 5000
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from import_bench import make_workbook  # noqa: E402
from load_http import Browser, Recorder, Sample  # noqa: E402
from load_seed import IMPORTER, Cast, seed  # noqa: E402
from load_staff import FLOOR, ImportTimes, Staff, import_through_wizard, sign_in  # noqa: E402

DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/crm_load_bench"
JOBS_URL = "redis://127.0.0.1:6379/13"
STARTUP = 60  # seconds for gunicorn to listen
WARM_UP = 8  # seconds of untimed requests after the servers start
P95_GOAL_MS = 300


# --- databases and Redis ------------------------------------------------------------------------------------


def scratch_databases(url: str, stack: ExitStack) -> tuple[str, str]:
    """The database of the load run and the one of the import alone, both new; dropped when the stack closes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        sys.exit("the load benchmark runs on PostgreSQL, as a team deployment does")
    if "bench" not in (parsed.database or ""):
        sys.exit(f"refusing to drop database {parsed.database!r}: use a name containing 'bench'")
    names = (parsed.database, f"{parsed.database}_alone")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    drop()
    stack.callback(drop)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{names[0]}"'))
    return tuple(parsed.set(database=name).render_as_string(hide_password=False) for name in names)


def copy_database(source: str, target: str) -> None:
    """`target` as an exact copy of `source` (nobody may be connected to it), after VACUUM ANALYZE."""
    engine = create_engine(source, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would soon after seeding
    engine.dispose()
    parsed = make_url(source)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{make_url(target).database}" TEMPLATE "{parsed.database}"'))
    admin.dispose()


def redis_db(url: str, stack: ExitStack):
    """The Redis database of the jobs and sign-in counts, flushed now and when the stack closes."""
    import redis

    if urlsplit(url).path.strip("/") in ("", "0"):
        sys.exit(f"{url}: name a Redis database of the benchmark's own (e.g. /13); it is flushed")
    client = redis.Redis.from_url(url)
    client.flushdb()
    stack.callback(client.close)
    stack.callback(client.flushdb)
    return client


# --- the deployment -----------------------------------------------------------------------------------------


def environment(database_url: str, jobs_url: str, instance: Path) -> dict[str, str]:
    """The README's team-deployment variables; CRM_COOKIE_SECURE unset, as this is plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CRM_", "FLASK_"))}
    instance.mkdir(parents=True, exist_ok=True)
    return env | {"CRM_DATABASE_URL": database_url, "CRM_SECRET_KEY": secrets.token_urlsafe(32),
                  "CRM_JOBS_URL": jobs_url, "CRM_INSTANCE_DIR": str(instance)}  # fmt: skip


def migrate(env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


@contextmanager
def deployment(env: dict[str, str], workers: int) -> Iterator[str]:
    """gunicorn and one job worker on loopback; yields the address; both stopped afterwards, whatever happens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = Path(env["CRM_INSTANCE_DIR"])
    commands = {
        "gunicorn": [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                     "wsgi:app"],
        "worker": [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "worker"],
    }  # fmt: skip
    processes: list[subprocess.Popen] = []
    try:
        for name, command in commands.items():
            with open(instance / f"{name}.log", "ab") as log:
                # A session of its own: stopping it reaches gunicorn's workers too.
                processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                  start_new_session=True))  # fmt: skip
        wait_for_port(port, processes[0], instance / "gunicorn.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in processes:
            stop_process(process)


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port} within {STARTUP} s")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the runs -----------------------------------------------------------------------------------------------


class ImportThread(threading.Thread):
    """The importer's wizard in the background; its outcome (times, or why it failed) once finished."""

    def __init__(self, browser: Browser, workbook: Path, stop: threading.Event) -> None:
        super().__init__(name="importer", daemon=True)
        self.browser, self.workbook, self.stop = browser, workbook, stop
        self.times: ImportTimes | None = None
        self.failure = ""

    def run(self) -> None:
        try:
            sign_in(self.browser, IMPORTER)
            self.times = import_through_wizard(self.browser, self.workbook, self.stop)
        except Exception as failure:  # noqa: BLE001 — reported with the figures
            self.failure = f"{type(failure).__name__}: {failure}"


def under_load(
    base_url: str, cast: Cast, workbook: Path, args, deadline: float
) -> tuple[Recorder, float, ImportThread]:
    """The staff at work and the import among them; returns every request, the load's seconds and the import."""
    recorder, stop, import_stop = Recorder(), threading.Event(), threading.Event()
    ramp = min(10.0, args.seconds / 4)  # sign-ins spread over this, as people arrive
    staff = [Staff(number, base_url, recorder, cast, stop, delay=ramp * (number - 1) / args.staff, think=args.think)
             for number in range(1, args.staff + 1)]  # fmt: skip
    importer = ImportThread(Browser(base_url, recorder), workbook, import_stop)
    started, client_cpu, machine = time.monotonic(), time.process_time(), cpu_ticks()
    try:
        for person in staff:
            person.start()
        time.sleep(ramp)
        importer.start()
        print(f"  {args.staff} staff signed in over {ramp:.0f} s; import started", flush=True)
        while time.monotonic() < deadline and (importer.is_alive() or time.monotonic() < started + args.seconds):
            time.sleep(0.2)
        if importer.is_alive():
            print("  hard cap reached: stopping the import's wait", flush=True)
    finally:
        stop.set()
        import_stop.set()
        for person in staff:
            person.join(timeout=60)
        importer.join(timeout=60)
    seconds = time.monotonic() - started
    # The simulated staff share the machine's cores with the servers: what they took is not the servers'.
    busy, total = (now - then for now, then in zip(cpu_ticks(), machine, strict=True))
    cores = os.cpu_count() or 1
    client = (time.process_time() - client_cpu) / (seconds * cores)
    print(f"  the machine's {cores} cores were {busy / total:.0%} busy; the {args.staff} staff (this process) "
          f"took {client:.0%} of them", flush=True)  # fmt: skip
    return recorder, seconds, importer


def print_server_errors(instance: Path, most: int = 3) -> None:
    """The servers' tracebacks (an answer 500 logs one): the logs go with the scratch folder."""
    for log in sorted(instance.glob("*.log")):
        blocks = [block for block in log.read_text(errors="replace").split("\n\n") if "Traceback" in block]
        for block in blocks[-most:]:
            print(f"--- {log.name}: one of {len(blocks)} tracebacks\n{block[-3000:]}", flush=True)


def cpu_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine since boot, from /proc/stat: a saturated machine is the floor."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def staff_for(seconds: float, base_url: str, cast: Cast, numbers: range, think: float) -> list[Sample]:
    """Staff `numbers` at work for `seconds`, signing in at once; their requests."""
    recorder, stop = Recorder(), threading.Event()
    staff = [Staff(number, base_url, recorder, cast, stop, delay=0, think=think) for number in numbers]
    for person in staff:
        person.start()
    try:
        time.sleep(seconds)
    finally:
        stop.set()
        for person in staff:
            person.join(timeout=60)
    return recorder.samples


def warm_up(base_url: str, cast: Cast, args) -> None:
    """A few people at once, not timed, until every gunicorn worker has loaded the app, connected to the
    database and compiled the templates: the load measures a server that has been running, not its start."""
    staff_for(WARM_UP, base_url, cast, range(1, min(2 * args.workers, args.staff) + 1), think=0)


def alone(base_url: str, cast: Cast, workbook: Path, args, deadline: float) -> ImportThread:
    warm_up(base_url, cast, args)
    stop = threading.Event()
    importer = ImportThread(Browser(base_url, None), workbook, stop)
    importer.start()
    importer.join(max(0.0, deadline - time.monotonic()))
    stop.set()
    importer.join(timeout=60)
    return importer


# --- the report ---------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def report(recorder: Recorder, baseline: list[Sample], seconds: float, loaded: ImportThread,
           quiet: ImportThread, args) -> None:  # fmt: skip
    samples = recorder.samples
    kinds = sorted({s.kind for s in samples}, key=lambda kind: -sum(s.kind == kind for s in samples))
    print(f"\n{'':<22}{'under load':^54}{'one person alone':^22}")
    print(f"{'request kind':<22}{'count':>7}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>7}"
          f"{'ratio p95':>10}{'count':>7}{'p50 ms':>8}{'p95 ms':>8}")  # fmt: skip
    rows = [(kind, [s for s in samples if s.kind == kind], [s for s in baseline if s.kind == kind]) for kind in kinds]
    for kind, loaded_rows, alone_rows in rows + [("all", samples, baseline)]:
        ms, quiet_ms = [s.ms for s in loaded_rows], [s.ms for s in alone_rows]
        errors = sum(bool(s.error) for s in loaded_rows)
        line = (f"{kind:<22}{len(ms):>7}{errors:>7}{percentile(ms, 0.5):>8.0f}{percentile(ms, 0.95):>8.0f}"
                f"{percentile(ms, 0.99):>8.0f}{len(ms) / seconds:>7.1f}")  # fmt: skip
        if quiet_ms:
            line += f"{percentile(ms, 0.95) / percentile(quiet_ms, 0.95):>10.1f}{len(quiet_ms):>7}"
            line += f"{percentile(quiet_ms, 0.5):>8.0f}{percentile(quiet_ms, 0.95):>8.0f}"
        print(line)
    failures = Counter(f"{sample.kind}: {sample.error}" for sample in samples if sample.error)
    failures.update(f"broke off in the client: {message}" for message in recorder.client_failures)
    for message, count in failures.most_common(8):
        print(f"  {count} × {message}")

    print(f"\nimport of {args.import_rows} rows through the wizard, run by the worker:")
    for label, run in (("under load", loaded), ("alone", quiet)):
        if run.times:
            t = run.times
            print(f"  {label:<11} preview {t.preview_s:6.1f} s, import {t.import_s:6.1f} s ({t.status}: {t.counts})")
        else:
            print(f"  {label:<11} did not finish: {run.failure or 'stopped by the hard cap'}")
    ratio = loaded.times.import_s / quiet.times.import_s if loaded.times and quiet.times else float("nan")
    errors = sum(bool(s.error) for s in samples)
    # The goal is about pages: the static file is the floor they are measured against, not one of them.
    ms = [s.ms for s in samples if s.kind != FLOOR]
    p95 = percentile(ms, 0.95)
    floor = [s.ms for s in samples if s.kind == FLOOR]
    floor_p95 = percentile(floor, 0.95) if floor else float("nan")
    imported = all(run.times and run.times.status == "done" for run in (loaded, quiet))
    broken = len(recorder.client_failures)
    verdict = "PASS" if errors == 0 and not broken and p95 < P95_GOAL_MS and imported else "FAIL"
    print(f"\n{len(samples)} requests from {args.staff} staff in {seconds:.0f} s ({len(samples) / seconds:.1f}/s): "
          f"errors {errors} (goal 0; {broken} more broke off in the client), p50 {percentile(ms, 0.5):.0f} ms, p95 {p95:.0f} ms (goal < {P95_GOAL_MS} ms), "
          f"p99 {percentile(ms, 0.99):.0f} ms; floor (a static file) p95 {floor_p95:.0f} ms, pages p95 / floor p95 "
          f"{p95 / floor_p95:.1f}; import under load / alone {ratio:.2f}: {verdict}  "
          f"[load average {os.getloadavg()[0]:.1f}]")  # fmt: skip


def interrupt(*_args) -> None:
    raise KeyboardInterrupt  # a terminated run cleans up as after Ctrl-C


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="how long the staff work (default 60; longer "
                        "if the import is still running)")  # fmt: skip
    parser.add_argument("--staff", type=int, default=50, help="simulated staff, each a thread (default 50)")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the imported workbook (20 000)")
    parser.add_argument("--people", type=int, default=3000, help="people seeded before the load (default 3000)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a person's actions, s (1.0)")
    parser.add_argument("--baseline", type=int, default=10, help="rounds of every action by one person alone before "
                        "the load: each page's time without load (default 10)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--database-url", default=DATABASE_URL, help=f"PostgreSQL; its name must contain 'bench' "
                        f"(dropped and created, and NAME_alone beside it; default {DATABASE_URL})")  # fmt: skip
    parser.add_argument("--jobs-url", default=JOBS_URL, help=f"a Redis db of the benchmark's own, flushed (default "
                        f"{JOBS_URL})")  # fmt: skip
    parser.add_argument("--cap", type=float, default=900, help="hard cap on the whole run, s (default 900)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    deadline = time.monotonic() + args.cap
    signal.signal(signal.SIGTERM, interrupt)
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="crm-load-bench-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        jobs = redis_db(args.jobs_url, stack)
        loaded_url, alone_url = scratch_databases(args.database_url, stack)
        started = time.monotonic()
        migrate(environment(loaded_url, args.jobs_url, folder / "migrate"))
        cast = seed(loaded_url, args.people, args.staff, args.seed)
        copy_database(loaded_url, alone_url)
        workbook = folder / f"contacts-{args.import_rows}.xlsx"
        make_workbook(workbook, args.import_rows, seed=args.seed)
        print(f"seeded {len(cast.person_ids)} people, {len(cast.outreach_ids)} outreach entries, {args.staff} staff "
              f"and wrote the workbook in {time.monotonic() - started:.0f} s", flush=True)  # fmt: skip

        print(f"under load: {args.staff} staff for {args.seconds:.0f} s, import of {args.import_rows} rows", flush=True)
        with deployment(environment(loaded_url, args.jobs_url, folder / "loaded"), args.workers) as base_url:
            warm_up(base_url, cast, args)
            print(f"one person alone: every action {args.baseline} times, no pauses", flush=True)
            baseline = Recorder()
            Staff(1, base_url, baseline, cast, threading.Event(), delay=0, think=0).every_action(args.baseline)
            recorder, seconds, loaded = under_load(base_url, cast, workbook, args, deadline)
        print_server_errors(folder / "loaded")
        print("alone: the same import with nobody else signed in", flush=True)
        jobs.flushdb()  # an empty queue, as before the first run
        with deployment(environment(alone_url, args.jobs_url, folder / "alone"), args.workers) as base_url:
            quiet = alone(base_url, cast, workbook, args, deadline)
        report(recorder, baseline.samples, seconds, loaded, quiet, args)


if __name__ == "__main__":
    main()
