"""Benchmark email in and out: filing a whole mailbox, and sending a personalised mailing, each against
the bare standard library doing the same transfer.

A scratch database (an SQLite file; `--postgres` adds a PostgreSQL database `crm_mail_bench`, dropped
and created) is migrated with `flask --app wsgi db upgrade`, as the README does, and seeded: --people
people with an email address, an honorific and a role (3 000), five staff accounts, and six email
outreach entries of 500 recipients each whose participations carry the Message-ID they were sent with.

**Filing.** A throw-away Dovecot (bench/mail_servers.py) receives --messages messages by IMAP APPEND
(10 000): a tenth from unknown senders (→ triage), a third replies naming one of our Message-IDs in
In-Reply-To, a tenth replies found by their subject ("RE: …", no In-Reply-To), the rest staff writing
to one or two contacts (→ a new email outreach entry). Bodies of 1–4 KB, a fifth with an HTML
alternative, one in twenty with a small PDF. Then, each in a fresh process:
  bare    imaplib fetches every message by UID (BODY.PEEK[]) and parses it with
          email.message_from_bytes(policy=default): the cost of reading the mailbox at all;
  filing  `crm.mailbox.imap.fetch_once`, the worker's chore, called until the mailbox is empty
          (it takes MAX_PER_POLL messages a poll); its peak RSS (VmHWM) is its own.
The outcome counts must be what was planted.

**Sending.** An aiosmtpd server that counts what it accepts; `start_mailing` to --sends people (2 000)
with merge fields in subject and body, then the send job `send_mailing` as the worker runs it, with
CRM_MAIL_PER_MINUTE at 1 000 000 so nothing waits; against bare smtplib sending as many pre-built
messages over one connection. The server must have received every message of both.

Goals (the summary line): filing ≥ 50 messages/s with a peak RSS < 300 MB, sending ≥ 0.5 × bare
smtplib. 50/s empties a busy inbox of a day (a few hundred messages) within one poll's seconds and the
10 000 of a first connection in minutes; bare smtplib on loopback is the most any sender could do, and
half of it leaves room for rendering, one commit per message and the database's bookkeeping.

    .venv/bin/python bench/mail_bench.py
    .venv/bin/python bench/mail_bench.py --messages 2000 --sends 500 --postgres
"""

from __future__ import annotations

import argparse
import contextlib
import imaplib
import json
import os
import random
import resource
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, formatdate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from mail_servers import counting_smtp, dovecot  # noqa: E402  (beside this file)

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "crm_mail_bench"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"
MAIL_FROM = "campaigns@freedom.example.org"
STAFF = ["anna.novak", "petr.svoboda", "ieva.kalnina", "jurgen.muller", "helene.dubois"]
MAILINGS, PER_MAILING = 6, 500
SUBJECTS = [
    "Mukhtar Dzhakishev: parole hearing on 12 March",
    "Urgent appeal for Maria Kolesnikova",
    "Letter to the Kazakh ambassador",
    "Briefing on political prisoners in Belarus",
    "Invitation: hearing in the Subcommittee on Human Rights",
    "Your question to the Commission on Azerbaijan",
]
GIVEN = [
    "Jan",
    "Petr",
    "Zuzana",
    "Łukasz",
    "Małgorzata",
    "Jürgen",
    "Käthe",
    "François",
    "Hélène",
    "Ieva",
    "Zoltán",
    "Ioana",
    "Tunne",
    "Mady",
]
FAMILY = [
    "Novák",
    "Svoboda",
    "Kowalski",
    "Wiśniewski",
    "Müller",
    "Schröder",
    "Lefèvre",
    "Dubois",
    "Kalniņš",
    "Szőke",
    "Ionescu",
    "Kelam",
]
WORDS = [
    "hearing",
    "parliament",
    "prisoner",
    "release",
    "appeal",
    "letter",
    "committee",
    "session",
    "resolution",
    "ambassador",
    "minister",
    "question",
    "answer",
    "report",
    "briefing",
    "meeting",
    "support",
    "delegation",
    "statement",
    "sentence",
    "court",
    "lawyer",
    "family",
    "health",
    "visit",
    "embassy",
    "urgent",
    "follow-up",
    "thank",
    "you",
    "we",
    "will",
    "raise",
    "this",
    "at",
    "the",
    "next",
    "plenary",
]
SEND_SUBJECT = "{{ family_name }}: the hearing on Mukhtar Dzhakishev"
SEND_BODY = (
    "{{ salutation }},\n\nAs {{ title }} at {{ organisation }} you asked us to keep you informed. The appeal "
    "hearing of Mukhtar Dzhakishev is on 12 March; we would be grateful if you could raise his case.\n\n"
    + "Background: "
    + " ".join(WORDS * 3)
    + "\n\nThis message went to {{ email }}.\n\nYours sincerely,\nThe team\n"
)


class OutOfTime(Exception):
    pass


# -- the scratch database -------------------------------------------------------------------------


def migrate(url: str, instance: Path) -> None:
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_INSTANCE_DIR": str(instance), "CRM_SECRET_KEY": "bench"}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def create_postgres() -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {PG_NAME}"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 — a bench reports and goes on
        print(f"PostgreSQL unavailable ({error}); skipping it")
        return False
    return True


def drop_postgres() -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"))
    admin.dispose()


def app_for(url: str, instance: Path, **config):
    from crm import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(instance), **config})


def ascii_address(given: str, family: str, number: int) -> str:
    local = unicodedata.normalize("NFKD", f"{given[0]}.{family}{number}").encode("ascii", "ignore").decode()
    return f"{local.lower().lstrip('.')}@ep.example.eu"


@dataclass
class Seeded:
    """What the messages are made from: addresses, and each mailing's recipients with their Message-IDs."""

    people: list[tuple[int, str, str]]  # id, address, name
    staff: list[str]
    threads: list[tuple[str, str, str, str]]  # recipient's address and name, subject, Message-ID


def seed(people: int, rng: random.Random) -> Seeded:
    """People in bulk (Core inserts), staff and the six mailings through the services; committed."""
    from sqlalchemy import insert, select, text

    from crm.auth.service import create_user
    from crm.contacts.models import EmailAddress, Organisation, Person, Role
    from crm.extensions import db
    from crm.folding import search_document, sort_key
    from crm.outreach.data import OutreachData, ParticipantData
    from crm.outreach.models import Participant
    from crm.outreach.service import create_outreach
    from crm.taxonomy.service import kind_by_code

    organisation_id = db.session.execute(
        insert(Organisation.__table__).returning(Organisation.__table__.c.id),
        {"name": "European Parliament", "short_name": "EP", "search_text": "european parliament ep",
         "sort_key": sort_key("European Parliament")},
    ).scalar_one()  # fmt: skip
    person_rows, email_rows, role_rows, seeded = [], [], [], []
    for number in range(1, people + 1):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        address = ascii_address(given, family, number)
        person_rows.append({
            "id": number, "given_name": given, "family_name": family, "honorific": rng.choice(("Mr", "Ms")),
            "languages": "en", "country": rng.choice(("CZ", "PL", "DE", "FR", "LV")),
            "search_text": search_document(given, family, address), "sort_key": sort_key(family, given),
        })  # fmt: skip
        email_rows.append({"person_id": number, "address": address, "label": "work", "is_primary": True})
        role_rows.append(
            {"person_id": number, "organisation_id": organisation_id, "title": "Member", "note": "", "source": ""}
        )
        seeded.append((number, address, f"{given} {family}"))
    db.session.execute(insert(Person.__table__), person_rows)
    db.session.execute(insert(EmailAddress.__table__), email_rows)
    db.session.execute(insert(Role.__table__), role_rows)
    if db.engine.dialect.name == "postgresql":  # ids given explicitly: move the sequence past them
        db.session.execute(text(f"SELECT setval('person_id_seq', {people})"))
    staff = [f"{name}@freedom.example.org" for name in STAFF]
    for address in staff:
        create_user(address, "a bench password 2026", role="editor")
    kind_id = kind_by_code("email").id
    threads = []
    by_id = {number: (address, name) for number, address, name in seeded}
    for index, subject in enumerate(SUBJECTS[:MAILINGS]):
        ids = [number for number, _a, _n in seeded[index * PER_MAILING : (index + 1) * PER_MAILING]]
        outreach = create_outreach(
            OutreachData(kind_id=kind_id, subject=subject, sent_on=date.today() - timedelta(days=20),
                         summary="Sent from the CRM.", participants=[ParticipantData("to", person_id=i) for i in ids]),
            actor=None,
        )  # fmt: skip
        for participant in db.session.scalars(select(Participant).where(Participant.outreach_id == outreach.id)):
            participant.message_id = f"<mailing{index}.{participant.person_id}@freedom.example.org>"
            address, name = by_id[participant.person_id]
            threads.append((address, name, subject, participant.message_id))
    db.session.commit()
    return Seeded(seeded, staff, threads)


# -- the mailbox ----------------------------------------------------------------------------------


def _body(rng: random.Random, quoted: str = "") -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90))).capitalize() + ".")
    text = "\n\n".join(paragraphs)
    if quoted:
        text += "\n\n" + "\n".join("> " + line for line in quoted.splitlines())
    return text + "\n\n-- \nSent from the office\n"


PDF = b"%PDF-1.4\n" + bytes(random.Random(7).randrange(256) for _ in range(40_000)) + b"\n%%EOF\n"


def make_message(number: int, kind: str, seeded: Seeded, rng: random.Random) -> bytes:
    message = EmailMessage()
    when = datetime.now(UTC) - timedelta(days=rng.randint(0, 5), minutes=rng.randint(0, 600))
    if kind == "triage":
        message["From"] = formataddr((f"Stranger {number}", f"someone{number}@unknown{number % 97}.example.net"))
        message["To"] = MAIL_FROM
        message["Subject"] = f"Question about volunteering ({number})"
    elif kind in ("reply", "subject"):
        address, name, subject, message_id = rng.choice(seeded.threads)
        message["From"] = formataddr((name, address))
        message["To"] = MAIL_FROM
        if kind == "reply":
            message["Subject"] = "Re: " + subject
            message["In-Reply-To"] = message_id
            message["References"] = message_id
        else:  # a mail program that drops the headers: found by its subject and sender
            message["Subject"] = rng.choice(("RE: ", "AW: ", "Odp: ")) + subject
    else:  # staff writing to contacts from their own mail program, the CRM's address in Bcc
        count = rng.choice((1, 1, 2))
        recipients = rng.sample(seeded.people, count)
        message["From"] = rng.choice(seeded.staff)
        message["To"] = ", ".join(formataddr((name, address)) for _i, address, name in recipients)
        message["Subject"] = f"Meeting request {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<bench{number}.{rng.randrange(10**9)}@mail.example.net>"
    text = _body(rng, quoted=_body(rng) if kind == "reply" else "")
    message.set_content(text)
    if rng.random() < 0.2:
        html = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
        message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    if rng.random() < 0.05:
        message.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"briefing-{number}.pdf")
    return message.as_bytes()


def plan(messages: int, rng: random.Random) -> list[str]:
    kinds = []
    for _ in range(messages):
        draw = rng.random()
        kinds.append(
            "triage" if draw < 0.10 else "reply" if draw < 0.433 else "subject" if draw < 0.533 else "outreach"
        )
    return kinds


def imap_client(url: str) -> imaplib.IMAP4:
    from crm.mailbox.imap import MailboxSettings

    settings = MailboxSettings.from_url(url)
    client = imaplib.IMAP4(settings.host, settings.port)
    client.login(settings.user, settings.password)
    return client


def fill_mailbox(url: str, kinds: list[str], seeded: Seeded, rng: random.Random, deadline: float) -> int:
    client = imap_client(url)
    size = 0
    try:
        for number, kind in enumerate(kinds, start=1):
            raw = make_message(number, kind, seeded, rng)
            size += len(raw)
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK", status
            if number % 500 == 0 and time.monotonic() > deadline:
                raise OutOfTime
    finally:
        client.logout()
    return size


# -- the children: each timed in a fresh process -------------------------------------------------


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_bare_fetch(imap_url: str) -> dict:
    client = imap_client(imap_url)
    start = time.perf_counter()
    client.select("INBOX", readonly=True)
    _status, data = client.uid("SEARCH", None, "ALL")
    count = size = 0
    for uid in data[0].split():
        _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next(item[1] for item in data if isinstance(item, tuple))
        message = message_from_bytes(raw, policy=policy.default)
        count += message["Message-ID"] is not None
        size += len(raw)
    seconds = time.perf_counter() - start
    client.logout()
    return {"seconds": seconds, "messages": count, "bytes": size, "rss_mb": _vm_hwm_mb()}


def child_filing(url: str, instance: str, imap_url: str) -> dict:
    from crm.mailbox.imap import fetch_once

    app = app_for(url, Path(instance), IMAP_URL=imap_url)
    totals: dict[str, int] = {}
    polls = 0
    with app.app_context():
        baseline = _vm_hwm_mb()
        start = time.perf_counter()
        while True:
            counts = fetch_once()
            polls += 1
            for outcome, count in counts.items():
                totals[outcome] = totals.get(outcome, 0) + count
            if not sum(counts.values()):
                break
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "counts": totals, "polls": polls, "rss_mb": _vm_hwm_mb(), "baseline_mb": baseline}


def child_sending(url: str, instance: str, port: int, sends: int) -> dict:
    from sqlalchemy import select

    from crm.auth.models import User
    from crm.extensions import db
    from crm.mailing.audience import AudienceSource
    from crm.mailing.sending import send_mailing
    from crm.mailing.service import ComposeData, start_mailing, status_counts

    app = app_for(
        url, Path(instance), MAIL_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM=MAIL_FROM, MAIL_PER_MINUTE=1_000_000
    )
    with app.app_context():
        actor = db.session.scalars(select(User).order_by(User.id)).first()
        data = ComposeData(AudienceSource(person_ids=list(range(1, sends + 1))), SEND_SUBJECT, SEND_BODY)
        start = time.perf_counter()
        mailing = start_mailing(data, actor=actor)
        db.session.commit()  # the job is queued now; the worker would pick it up
        queued = time.perf_counter()
        send_mailing(mailing.id)
        seconds = time.perf_counter() - start
        counts = status_counts(mailing.id)
    return {"seconds": seconds, "start_seconds": queued - start, "counts": counts, "rss_mb": _vm_hwm_mb()}


def child_bare_smtp(port: int, sends: int) -> dict:
    rng = random.Random(3)
    messages = []
    for number in range(1, sends + 1):  # built before the clock starts: only the sending is timed
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        message = EmailMessage()
        message["From"] = MAIL_FROM
        message["To"] = formataddr((f"{given} {family}", ascii_address(given, family, number)))
        message["Subject"] = f"{family}: the hearing on Mukhtar Dzhakishev"
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = f"<bare{number}@freedom.example.org>"
        message.set_content(SEND_BODY.replace("{{ salutation }}", f"Dear Mr {family}"))
        messages.append((message, message["To"].addresses[0].addr_spec))
    start = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=30)
    for message, address in messages:
        smtp.send_message(message, from_addr=MAIL_FROM, to_addrs=[address])
    smtp.quit()
    return {"seconds": time.perf_counter() - start}


def run_child(deadline: float, *args: object) -> dict:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutOfTime
    command = [sys.executable, __file__, "--child", *map(str, args)]
    if os.environ.get("CRM_MAIL_BENCH_PROFILE") and args[0] in ("filing", "sending"):
        profile = Path(tempfile.gettempdir()) / f"crm-mail-bench-{args[0]}.prof"
        command[1:1] = ["-m", "cProfile", "-o", str(profile)]
        print(f"{'':10} ({args[0]} profiled into {profile})")
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=remaining)
    except subprocess.TimeoutExpired:
        raise OutOfTime from None
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr[-4000:])
        raise
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(name: str, args: list[str]) -> None:
    if name == "bare-fetch":
        result = child_bare_fetch(args[0])
    elif name == "filing":
        result = child_filing(*args)
    elif name == "sending":
        result = child_sending(args[0], args[1], int(args[2]), int(args[3]))
    else:
        result = child_bare_smtp(int(args[0]), int(args[1]))
    print(json.dumps(result))


# -- one database ---------------------------------------------------------------------------------


def bench_database(label: str, url: str, folder: Path, args, deadline: float) -> bool:
    from crm.extensions import db
    from crm.mailbox.models import Filed

    instance = folder / f"instance-{label}"
    instance.mkdir()
    start = time.perf_counter()
    migrate(url, instance)
    rng = random.Random(args.seed)
    app = app_for(url, instance)
    with app.app_context():
        seeded = seed(args.people, rng)
        db.session.remove()
        db.engine.dispose()
    print(f"{label}: migrated and seeded ({args.people} people, {len(seeded.staff)} staff, "
          f"{MAILINGS} mailings of {PER_MAILING}) in {time.perf_counter() - start:.1f} s")  # fmt: skip
    verdict = True

    kinds = plan(args.messages, rng)
    planted = {
        Filed.REPLY: sum(k in ("reply", "subject") for k in kinds),
        Filed.OUTREACH: kinds.count("outreach"),
        Filed.TRIAGE: kinds.count("triage"),
    }
    with dovecot() as imap_url:
        start = time.perf_counter()
        size = fill_mailbox(imap_url, kinds, seeded, rng, deadline)
        print(f"{'':10} mailbox: {len(kinds)} messages, {size / 1e6:.1f} MB, appended in "
              f"{time.perf_counter() - start:.1f} s: {kinds.count('reply')} replies by In-Reply-To, "
              f"{kinds.count('subject')} by subject, {planted['outreach']} staff to contacts, "
              f"{planted['triage']} from unknown senders")  # fmt: skip
        bare = run_child(deadline, "bare-fetch", imap_url)
        filing = run_child(deadline, "filing", url, instance, imap_url)
    bare_rate = bare["messages"] / bare["seconds"]
    rate = len(kinds) / filing["seconds"]
    counts = {k: v for k, v in filing["counts"].items() if v}
    matches = all(filing["counts"].get(outcome, 0) == count for outcome, count in planted.items())
    print(
        f"{'':10} bare fetch-and-parse: {bare['messages']} messages in {bare['seconds']:.1f} s = {bare_rate:.0f} msg/s"
    )
    print(
        f"{'':10} filing: {len(kinds)} messages in {filing['seconds']:.1f} s ({filing['polls']} polls) = "
        f"{rate:.1f} msg/s = {rate / bare_rate:.3f} × the bare fetch-and-parse (goal ≥ 50 msg/s); "
        f"peak RSS {filing['rss_mb']:.0f} MB (after start-up {filing['baseline_mb']:.0f} MB; goal < 300 MB)"
    )
    print(f"{'':10} outcomes {counts}: {'as planted' if matches else f'planted {dict(planted)}: MISMATCH'}")
    verdict &= matches and rate >= 50 and filing["rss_mb"] < 300

    with counting_smtp() as (port, counter):
        bare_send = run_child(deadline, "bare-smtp", port, args.sends)
        bare_received = counter.count
        counter.reset()
        sending = run_child(deadline, "sending", url, instance, port, args.sends)
        received = counter.count
    bare_rate = args.sends / bare_send["seconds"]
    rate = args.sends / sending["seconds"]
    print(f"{'':10} bare smtplib: {args.sends} messages in {bare_send['seconds']:.1f} s = {bare_rate:.0f} msg/s "
          f"(the server received {bare_received})")  # fmt: skip
    print(
        f"{'':10} sending: {args.sends} messages in {sending['seconds']:.1f} s (start_mailing "
        f"{sending['start_seconds']:.1f} s, then the job) = {rate:.1f} msg/s = {rate / bare_rate:.2f} × bare smtplib "
        f"(goal ≥ 0.5); the server received {received}; {sending['counts']}; peak RSS {sending['rss_mb']:.0f} MB"
    )
    verdict &= received == args.sends == bare_received and rate >= 0.5 * bare_rate
    return verdict


def _out_of_time(_signum, _frame):
    raise OutOfTime


def _terminated(_signum, _frame):
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--sends", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=3_000)
    parser.add_argument("--postgres", action="store_true", help="also on a scratch PostgreSQL database")
    parser.add_argument("--only-postgres", action="store_true", help="on PostgreSQL alone")
    parser.add_argument("--cap", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the filing and sending into /tmp")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], args.child[1:])
        return
    if args.sends > args.people or args.people < MAILINGS * PER_MAILING:
        parser.error(f"--people must be at least --sends and {MAILINGS * PER_MAILING}")

    if args.profile:
        os.environ["CRM_MAIL_BENCH_PROFILE"] = "1"
    deadline = time.monotonic() + args.cap
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, _terminated)
    signal.alarm(int(args.cap) + 1)
    folder = Path(tempfile.mkdtemp(prefix="crm-mail-bench-"))
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
