"""Benchmark letters and the calendar feed: a thousand letters merged, against bare docxtpl rendering the
same template, and a busy staff member's feed over HTTP, against bare icalendar writing the same events.

A scratch database (an SQLite file; `--postgres` adds a PostgreSQL database `crm_letters_bench`, dropped
and created) is migrated with `flask --app wsgi db upgrade`, as the README does, and seeded through the
services: --letters people (1 000) with an honorific (Mr, Ms, Dr), languages (en, de, fr, some two),
a postal address in one of nine countries (a few office addresses of several lines), a category and a role,
all of them recipients of a letter in one campaign; two staff accounts, the first owning ten campaigns
with milestones, outreach with follow-ups, replies with follow-ups and meetings with a time, so that their
feed holds exactly --events events (5 000); the second owns a tenth as many, which the feed leaves out.

**Letters.** In a fresh process, the sample template merged for the campaign's people as
`flask crm letters sample --campaign ID` does it (`template_for_path`, `start_merge`, which runs
`run_merge` at once for a file template: a .docx per person, the combined document, the zip; no PDF:
LibreOffice's time is not ours), committed; its peak RSS (VmHWM) is its own. The zip must hold a letter
per person and the combined document. Raw limit, in another fresh process: bare docxtpl (its own Jinja
environment, no sandbox) rendering the same template with one fixed context and saving it to memory, as
many times, with no database, address layout or combining.

**Feed.** gunicorn (in requirements.txt; one sync worker, on loopback) serves the app; the staff
member's `/calendar/<token>.ics` (token from `issue_token`) is fetched --requests times (50) with
http.client, a new connection each time as a calendar app polls, after three untimed fetches. The last
answer must parse with icalendar and hold --events VEVENTs. Raw limit, in this process: the same events
(read once with `agenda_events`, not timed) written with bare icalendar, a Calendar of VEVENTs with the
same properties and `to_ical()`, timed after every fifth request so that both meet the same load; the
feed's p50 and p95 are compared with the bare writing's. Timed beside it: `agenda_events` alone.

Goals (the summary line): letters ≤ 2 × bare docxtpl with a peak RSS < 400 MB; feed p95 ≤ 2 × bare
icalendar and < 2 s. Twice the bare rendering leaves the merge as much again for reading the people,
laying out addresses, combining and zipping; 400 MB fits the worker beside gunicorn on a small server
(the letters and the combined document are held in memory until the zip is written). A feed is four
queries and the serialising, so the request may cost the serialising twice at most. The serialising
alone takes about a second for 5 000 events here (icalendar folds every line and builds a parameter
object per property), so 1 s would fail any feed written with icalendar; 2 s is well inside what a
calendar app waits for a subscribed feed and keeps one gunicorn worker busy that long per poll at most.

    .venv/bin/python bench/letters_bench.py
    .venv/bin/python bench/letters_bench.py --letters 200 --events 1000 --postgres
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "crm_letters_bench"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"
STAFF = ("anna.novak@freedom.example.org", "petr.svoboda@freedom.example.org")
LETTERS_CAMPAIGN = "Free Mukhtar Dzhakishev"
CAMPAIGNS = 10  # owned by the feed's staff member, the letters' campaign among them
STARTUP = 60  # seconds for gunicorn to listen
GIVEN = "Jan Petr Zuzana Łukasz Małgorzata Jürgen Käthe François Hélène Ieva Zoltán Ioana Tunne Mady Anne-Marie"
FAMILY = "Novák Svoboda Kowalski Wiśniewski Müller Schröder Lefèvre Dubois Kalniņš Szőke Ionescu Kelam Van_den_Berg"
ADDRESSES = [  # street, postcode, city, country, languages
    ("Parlement européen, Bâtiment Altiero Spinelli, Rue Wiertz 60", "1047", "Bruxelles", "BE", "fr"),
    ("Rue de la Loi 200", "1049", "Bruxelles", "BE", "en"),
    ("Platz der Republik 1", "11011", "Berlin", "DE", "de"),
    ("Deutscher Bundestag, Unter den Linden 50", "10117", "Berlin", "DE", "de,en"),
    ("126 rue de l'Université", "75355", "Paris 07 SP", "FR", "fr"),
    ("Allée du Printemps", "67070", "Strasbourg", "FR", "fr,en"),
    ("House of Commons", "SW1A 0AA", "London", "GB", "en"),
    ("Sněmovní 4", "118 26", "Praha 1", "CZ", "en"),
    ("ul. Wiejska 4/6/8", "00-902", "Warszawa", "PL", "en"),
    ("Jēkaba iela 11", "LV-1811", "Rīga", "LV", "en"),
    ("Lossi plats 1a", "15165", "Tallinn", "EE", "en,de"),
    ("Bundesplatz 3", "3005", "Bern", "CH", "de,fr"),
]
ORGANISATIONS = [  # name, short name, title, category code
    ("European Parliament", "EP", "Member of the European Parliament", "mep"),
    ("Parliamentary Assembly of the Council of Europe", "PACE", "Member of the Assembly", "pace_deputy"),
    ("Deutscher Bundestag", "", "Mitglied des Bundestages", "national_mp"),
    ("Assemblée nationale", "", "Député", "national_mp"),
    ("Human Rights Watch", "HRW", "Europe and Central Asia Director", "ngo_staff"),
]


class OutOfTime(Exception):
    pass


# -- the scratch database -------------------------------------------------------------------------


def environment(url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "CRM_DATABASE_URL": url, "CRM_INSTANCE_DIR": str(instance), "CRM_SECRET_KEY": "bench"}


def migrate(url: str, instance: Path) -> None:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    done = subprocess.run(command, cwd=ROOT, env=environment(url, instance), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def _admin():
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    return create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


def create_postgres() -> bool:
    from sqlalchemy import text

    try:
        admin = _admin()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {PG_NAME}"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 — a bench reports and goes on
        print(f"PostgreSQL unavailable ({error}); skipping it")
        return False
    return True


def drop_postgres() -> None:
    from sqlalchemy import text

    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"))
    admin.dispose()


def app_for(url: str, instance: Path, **config):
    from crm import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(instance), **config})


def seed_people(count: int, rng: random.Random) -> list[int]:
    """People with an honorific, languages, a postal address and a role, through the contact services."""
    from crm.contacts.data import AddressData, OrganisationData, PersonData, RoleData
    from crm.contacts.organisations import create_organisation
    from crm.contacts.people import create_person
    from crm.contacts.roles import add_role
    from crm.extensions import db
    from crm.taxonomy.service import category_by_code

    organisations = [
        (create_organisation(OrganisationData(name=name, short_name=short), actor=None), title,
         category_by_code(code).id)
        for name, short, title, code in ORGANISATIONS
    ]  # fmt: skip
    given, family = GIVEN.split(), FAMILY.split()
    ids = []
    for number in range(count):
        street, postcode, city, country, languages = ADDRESSES[number % len(ADDRESSES)]
        organisation, title, category_id = rng.choice(organisations)
        person = create_person(
            PersonData(
                family_name=rng.choice(family).replace("_", " "),
                given_name=rng.choice(given),
                honorific=rng.choice(("Mr", "Ms", "Dr", "Mr", "Ms")),
                country=country,
                languages=languages.split(","),
                category_id=category_id,
                addresses=[AddressData(street, postcode, city, country, is_primary=True)],
            ),
            actor=None,
            allow_shared_email=True,
        )
        add_role(person, RoleData(organisation.id, title, starts_on=date(2019, 7, 2)), actor=None)
        ids.append(person.id)
        if number % 200 == 199:
            db.session.commit()
    db.session.commit()
    return ids


def seed_events(owner_id: int, events: int, campaigns: list, person_ids: list[int], rng: random.Random) -> None:
    """Exactly `events` feed events for the owner: a tenth milestones, a tenth replies' follow-ups, three
    tenths meetings with a time, the rest outreach follow-ups; from 300 days back to 300 days ahead."""
    from crm.campaigns.service import MilestoneData, save_milestone
    from crm.extensions import db
    from crm.outreach.data import OutreachData, ParticipantData, ResponseData
    from crm.outreach.responses import record_response
    from crm.outreach.service import create_outreach
    from crm.taxonomy.service import kind_by_code
    from crm.timeutil import today

    letter, meeting, email = (kind_by_code(code).id for code in ("letter", "meeting", "email"))
    now = today()
    milestones, replies, meetings = events // 10, events // 10, events * 3 // 10
    follow_ups = events - milestones - replies - meetings

    def day(back: int = 300, ahead: int = 300) -> date:
        return now + timedelta(days=rng.randint(-back, ahead))

    def to(*people: int) -> list[ParticipantData]:
        return [ParticipantData("to", person_id=person_id) for person_id in people]

    def commit_now_and_then(number: int) -> None:
        if number % 250 == 249:
            db.session.commit()

    for number in range(milestones):
        save_milestone(campaigns[number % len(campaigns)], MilestoneData(day(), f"Hearing {number}"), actor=None)
        commit_now_and_then(number)
    for number in range(follow_ups):
        due = day()
        create_outreach(
            OutreachData(kind_id=rng.choice((letter, email)), subject=f"Appeal {number}: parole for Mukhtar",
                         sent_on=due - timedelta(days=14), campaign_id=rng.choice(campaigns).id, follow_up_on=due,
                         owner_id=owner_id, participants=to(rng.choice(person_ids))),
            actor=None,
        )  # fmt: skip
        commit_now_and_then(number)
    for number in range(meetings):
        starts = datetime.combine(day(), datetime.min.time()) + timedelta(hours=rng.randint(7, 16))
        create_outreach(
            OutreachData(kind_id=meeting, subject=f"Meeting {number} on the pardon request", sent_on=starts.date(),
                         campaign_id=rng.choice(campaigns).id, owner_id=owner_id, starts_at=starts,
                         ends_at=starts + timedelta(minutes=rng.choice((30, 60, 90))) if number % 5 else None,
                         location="European Parliament, ASP 5G305", participants=to(rng.choice(person_ids))),
            actor=None,
        )  # fmt: skip
        commit_now_and_then(number)
    for number in range(0, replies, 5):  # five recipients each, every one replying with a follow-up
        received = day(300, 0)
        recipients = rng.sample(person_ids, min(5, replies - number))
        outreach = create_outreach(
            OutreachData(kind_id=letter, subject=f"Joint letter {number}", sent_on=received - timedelta(days=10),
                         campaign_id=rng.choice(campaigns).id, owner_id=owner_id, participants=to(*recipients)),
            actor=None,
        )  # fmt: skip
        for person_id in recipients:
            record_response(
                outreach,
                ResponseData(received, person_id=person_id, follow_up_on=received + timedelta(days=14)),
                actor=None,
            )
        db.session.commit()
    db.session.commit()


def seed(args, rng: random.Random) -> dict:
    """Everything through the services; committed. Returns what the timed parts need."""
    from crm.agenda.events import agenda_events, feed_scope
    from crm.agenda.feed_tokens import issue_token
    from crm.auth.service import create_user
    from crm.campaigns.service import CampaignData, create_campaign
    from crm.extensions import db
    from crm.outreach.data import OutreachData, ParticipantData
    from crm.outreach.service import create_outreach
    from crm.taxonomy.service import kind_by_code
    from crm.timeutil import today

    owner, other = (create_user(address, "a bench password 2026", role="editor") for address in STAFF)
    person_ids = seed_people(args.letters, rng)
    names = [LETTERS_CAMPAIGN, *(f"Campaign {number}" for number in range(1, CAMPAIGNS))]
    campaigns = [create_campaign(CampaignData(name, owner_ids=[owner.id]), actor=None) for name in names]
    theirs = create_campaign(CampaignData("Free Max Bokayev", owner_ids=[other.id]), actor=None)
    create_outreach(  # the campaign's people: everyone got its first letter
        OutreachData(kind_id=kind_by_code("letter").id, subject="First appeal", sent_on=today() - timedelta(days=30),
                     campaign_id=campaigns[0].id, owner_id=other.id,
                     participants=[ParticipantData("to", person_id=i) for i in person_ids]),
        actor=None,
    )  # fmt: skip
    db.session.commit()
    seed_events(owner.id, args.events, campaigns, person_ids, rng)
    seed_events(other.id, args.events // 10, [theirs], person_ids, rng)  # not in the owner's feed
    token = issue_token(owner, actor=owner)
    db.session.commit()
    events = agenda_events(feed_scope(owner.id, all_campaigns=False, today=today()))
    if len(events) != args.events:
        raise RuntimeError(f"seeded {len(events)} feed events instead of {args.events}")
    return {"token": token, "campaign_id": campaigns[0].id, "owner_id": owner.id, "events": events}


# -- the children: each timed in a fresh process -------------------------------------------------


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_bare_docxtpl(count: int) -> dict:
    from docxtpl import DocxTemplate

    from crm.letters.storage import SAMPLE_TEMPLATE

    data = SAMPLE_TEMPLATE.read_bytes()
    context = {  # one recipient's values, the same for every letter
        "salutation": "Sehr geehrter Herr Abgeordneter Müller", "honorific": "Mr", "given_name": "Jürgen",
        "family_name": "Müller", "patronymic": "", "full_name": "Jürgen Müller", "formal_name": "Mr Jürgen Müller",
        "title": "Mitglied des Bundestages", "organisation": "Deutscher Bundestag",
        "address": "Mr Jürgen Müller\nPlatz der Republik 1\n11011 BERLIN\nGERMANY", "date": "7. Dezember 2026",
        "campaign": LETTERS_CAMPAIGN, "campaign_subject": "", "campaign_description": "", "sender": "Anna Novák",
    }  # fmt: skip
    size = 0
    start = time.perf_counter()
    for _ in range(count):
        template = DocxTemplate(io.BytesIO(data))
        template.render(context)
        output = io.BytesIO()
        template.save(output)
        size += len(output.getvalue())
    return {"seconds": time.perf_counter() - start, "bytes": size, "rss_mb": _vm_hwm_mb()}


def _page_breaks(docx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx)) as document:
        return document.read("word/document.xml").count(b'w:type="page"')


def child_letters(url: str, instance: str, campaign_id: str) -> dict:
    """The merge as `flask crm letters sample --campaign ID` runs it, with its stages timed on the side."""
    from crm.extensions import db
    from crm.letters import service, storage
    from crm.letters.audience import LetterSource
    from crm.timeutil import today

    spent = {"resolve": 0.0, "render": 0.0, "combine": 0.0}

    def timed(stage, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start

        return wrapper

    service.resolve = timed("resolve", service.resolve)
    service.render_letter = timed("render", service.render_letter)
    service.combine = timed("combine", service.combine)
    app = app_for(url, Path(instance), LETTERS_SOFFICE="")
    with app.app_context():
        baseline = _vm_hwm_mb()
        start = time.perf_counter()
        template = service.template_for_path(storage.SAMPLE_TEMPLATE)
        request = service.MergeRequest(LetterSource(), letter_date=today(), campaign_id=int(campaign_id))
        merge = service.start_merge(request, template, actor=None)
        db.session.commit()
        seconds = time.perf_counter() - start
        path = storage.merge_folder(merge.stored_name) / storage.ZIP_NAME
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            letters = [name for name in names if name[:3].isdigit()]
            breaks = [_page_breaks(archive.read(name)) for name in (letters[0], "All letters.docx") if name in names]
        left_out = json.loads(merge.left_out)
    return {
        "seconds": seconds,
        "letters": merge.letters,
        "in_zip": len(letters),
        # the combined document: each letter's own page breaks, and one before each letter but the first
        "combined_letters": breaks[1] - len(letters) * breaks[0] + 1 if len(breaks) == 2 else 0,
        "zip_mb": path.stat().st_size / 1e6,
        "left_out": len(left_out),
        "spent": spent,
        "rss_mb": _vm_hwm_mb(),
        "baseline_mb": baseline,
    }


def run_child(deadline: float, *args: object) -> dict:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutOfTime
    command = [sys.executable, __file__, "--child", *map(str, args)]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=remaining)
    except subprocess.TimeoutExpired:
        raise OutOfTime from None
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr[-4000:])
        raise
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(name: str, args: list[str]) -> None:
    result = child_bare_docxtpl(int(args[0])) if name == "bare-docxtpl" else child_letters(*args)
    print(json.dumps(result))


# -- the feed -------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(url: str, instance: Path):
    """One sync worker on loopback; yields its port; stopped (its whole session) afterwards, whatever happens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    log_path = instance / "gunicorn.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment(url, instance), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        limit = time.monotonic() + STARTUP
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > limit:
                    raise RuntimeError(f"gunicorn did not listen on {port} within {STARTUP} s") from None
                time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def fetch(port: int, path: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": "letters_bench"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return time.perf_counter() - start, body


def bare_icalendar(events, domain: str) -> float:
    """The same events and properties written with icalendar alone (links made by hand, no Flask)."""
    from icalendar import Calendar, Event

    start = time.perf_counter()
    stamp = datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    for item in events:
        event = Event()
        page = f"outreach/{item.outreach_id}" if item.outreach_id else f"campaigns/{item.campaign_id}"
        url = f"http://{domain}/{page}"
        event.add("uid", f"{item.uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("description", f"{item.kind_label} · Campaign: {item.campaign}\n{url}")
        event.add("url", url)
        if item.starts_at is not None:
            event.add("dtstart", item.starts_at.replace(tzinfo=UTC))
            event.add("dtend", (item.ends_at or item.starts_at + timedelta(hours=1)).replace(tzinfo=UTC))
            event.add("location", item.location)
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.to_ical()
    return time.perf_counter() - start


def read_events(owner_id: int) -> float:
    """The feed's four queries and its AgendaEvents, in this process (its own session each time)."""
    from crm.agenda.events import agenda_events, feed_scope
    from crm.extensions import db
    from crm.timeutil import today

    start = time.perf_counter()
    agenda_events(feed_scope(owner_id, all_campaigns=False, today=today()))
    seconds = time.perf_counter() - start
    db.session.remove()
    return seconds


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# -- one database ---------------------------------------------------------------------------------


def bench_database(label: str, url: str, folder: Path, args, deadline: float) -> bool:
    from icalendar import Calendar

    from crm.extensions import db

    instance = folder / f"instance-{label}"
    instance.mkdir()
    start = time.perf_counter()
    migrate(url, instance)
    app = app_for(url, instance)
    with app.app_context():
        seeded = seed(args, random.Random(args.seed))
        db.session.remove()
        db.engine.dispose()
    print(f"{label}: migrated and seeded ({args.letters} people, {args.events} feed events) "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip

    bare = run_child(deadline, "bare-docxtpl", args.letters)
    letters = run_child(deadline, "letters", url, instance, seeded["campaign_id"])
    ratio = letters["seconds"] / bare["seconds"]
    spent = letters["spent"]
    rest = letters["seconds"] - sum(spent.values())
    complete = letters["letters"] == letters["in_zip"] == letters["combined_letters"] == args.letters
    print(f"{'':10} bare docxtpl: {args.letters} letters in {bare['seconds']:.1f} s = "
          f"{args.letters / bare['seconds']:.0f} letters/s, peak RSS {bare['rss_mb']:.0f} MB")  # fmt: skip
    print(
        f"{'':10} letters: {letters['letters']} in {letters['seconds']:.1f} s = "
        f"{letters['letters'] / letters['seconds']:.0f} letters/s = {ratio:.2f} × bare docxtpl (goal ≤ 2); "
        f"peak RSS {letters['rss_mb']:.0f} MB (after start-up {letters['baseline_mb']:.0f} MB; goal < 400 MB)"
    )
    print(f"{'':10} (people and addresses {spent['resolve']:.1f} s, rendering {spent['render']:.1f} s, combining "
          f"{spent['combine']:.1f} s, zip and the rest {rest:.1f} s); zip {letters['zip_mb']:.1f} MB with "
          f"{letters['in_zip']} letters, combined document of {letters['combined_letters']} letters, "
          f"left out {letters['left_out']}: {'complete' if complete else 'INCOMPLETE'}")  # fmt: skip
    verdict = complete and ratio <= 2 and letters["rss_mb"] < 400

    path = f"/calendar/{seeded['token']}.ics"
    times, bare_times, query_times = [], [], []
    with gunicorn(url, instance) as port, app.app_context():
        for _ in range(3):  # the worker loads the app and connects on the first ones
            fetch(port, path)
        for number in range(args.requests):
            seconds, body = fetch(port, path)
            times.append(seconds)
            if number % 5 == 0:  # the raw limit between the requests, so that both meet the same load
                bare_times.append(bare_icalendar(seeded["events"], "127.0.0.1"))
                query_times.append(read_events(seeded["owner_id"]))
            if time.monotonic() > deadline:
                raise OutOfTime
        db.session.remove()
        db.engine.dispose()
    held = len(Calendar.from_ical(body).walk("VEVENT"))
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    bare50, bare95 = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
    print(f"{'':10} bare icalendar: {args.events} events, p50 {bare50 * 1000:.0f} ms, p95 {bare95 * 1000:.0f} ms "
          f"({len(bare_times)} times between the requests); agenda_events alone p50 "
          f"{percentile(query_times, 0.5) * 1000:.0f} ms")  # fmt: skip
    print(
        f"{'':10} feed: {args.requests} requests, {len(body) / 1e6:.2f} MB, {held} events; p50 {p50 * 1000:.0f} ms "
        f"= {p50 / bare50:.2f} ×, p95 {p95 * 1000:.0f} ms = {p95 / bare95:.2f} × bare icalendar "
        f"(goal ≤ 2 and < 2 000 ms)"
    )
    verdict &= held == args.events and p95 <= 2 * bare95 and p95 < 2
    return verdict


def _out_of_time(_signum, _frame):
    raise OutOfTime


def _terminated(_signum, _frame):
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=1_000, help="people, each getting a letter (1 000)")
    parser.add_argument("--events", type=int, default=5_000, help="events in the staff member's feed (5 000)")
    parser.add_argument("--requests", type=int, default=50, help="timed fetches of the feed (50)")
    parser.add_argument("--postgres", action="store_true", help="also on a scratch PostgreSQL database")
    parser.add_argument("--only-postgres", action="store_true", help="on PostgreSQL alone")
    parser.add_argument("--cap", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], args.child[1:])
        return
    if args.letters < 5 or args.events < 10:
        parser.error("--letters must be at least 5 and --events at least 10")

    deadline = time.monotonic() + args.cap
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, _terminated)
    signal.alarm(int(args.cap) + 1)
    folder = Path(tempfile.mkdtemp(prefix="crm-letters-bench-"))
    postgres = False
    verdicts = []
    try:
        targets = [] if args.only_postgres else [("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}")]
        if (args.postgres or args.only_postgres) and create_postgres():
            postgres = True
            targets.append(("postgresql", PG_URL))
        for label, url in targets:
            verdicts.append(bench_database(label, url, folder, args, deadline))
        print("PASS" if verdicts and all(verdicts) else "FAIL", f"[load average {os.getloadavg()[0]:.1f}]")
    except OutOfTime:
        print(f"FAIL: out of time (--cap {args.cap:.0f} s)")
        sys.exit(1)
    finally:
        signal.alarm(0)
        with contextlib.suppress(Exception):
            if postgres:
                drop_postgres()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
