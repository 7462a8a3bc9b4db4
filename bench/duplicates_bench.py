"""Benchmark duplicate matching: --rows import rows against --people people.

Generates people with names as a European advocacy contact list has them (Latin names with
diacritics from several countries, a quarter Cyrillic with a native name and an English, German
or French transliteration, a long tail of rarer surnames, 1-2 emails, some organisations), seeds
them into a fresh SQLite database with Core inserts, then times:

  load    PeopleIndex.load(session): the bulk queries and building the index
  match   every row: index.matches(row), then index.add(row) so later rows meet earlier ones

A third of the rows are planted variants of existing people (another transliteration, no
diacritics, a typo, given and family swapped, "FAMILY Given" in one cell, an initial, the email
alone); the rest are new people drawn from the same names, so namesakes are common. It prints
the times, how many planted variants were found, and the decisions.

    .venv/bin/python bench/duplicates_bench.py
    .venv/bin/python bench/duplicates_bench.py --people 10000 --rows 10000
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from anyascii import anyascii
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import CYRILLIC, LATIN, ORGANISATIONS, feminine, transliterate  # noqa: E402

from crm import create_app  # noqa: E402
from crm.contacts.models import EmailAddress, Organisation, Person, Role  # noqa: E402
from crm.duplicates.index import PeopleIndex, decide  # noqa: E402
from crm.duplicates.score import Identity, prepare  # noqa: E402
from crm.extensions import db  # noqa: E402

BATCH = 5000
# Consonant (or cluster) + vowel: 156 syllables, so invented names are not all one letter apart.
SYLLABLES = [
    onset + vowel
    for onset in ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z")
    + ("br", "kr", "st", "sch", "tr", "pl", "gr", "dr", "sk")
    for vowel in "aeiouy"
]
FAMILY_ENDINGS = ["", "er", "ski", "ová", "escu", "ov", "enko", "ić", "ez", "ini", "sen", "aitis"]


def make_names(rng: random.Random, count: int, endings: list[str], syllables: tuple[int, ...]) -> list[str]:
    """A long tail of invented names: a few syllables and an ending."""
    names = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice(syllables)))
        names.add((stem + rng.choice(endings)).capitalize())
    return sorted(names)


def make_tails(rng: random.Random, people: int) -> dict[str, list[str]]:
    return {
        "family": make_names(rng, people // 2, FAMILY_ENDINGS, (2, 2, 3)),
        "male": make_names(rng, 400, ["", "o", "an", "el", "us"], (1, 2)),
        "female": make_names(rng, 400, ["a", "ia", "ine", "ka"], (1, 2)),
    }


def make_identity(rng: random.Random, tails: dict, person_id: int | None = None) -> tuple[Identity, str]:
    """A person as stored (and the native name, for making variants). Half the given names and
    one in twenty family names come from search_bench's common names (each then about 0.5 %
    of a region's people, as Novák or Müller are), the rest from a tail."""
    cyrillic = rng.random() < 0.25
    countries, males, females, families, _, domains = CYRILLIC if cyrillic else rng.choice(LATIN)
    female = rng.random() < 0.45
    if rng.random() < 0.5 or cyrillic:
        given = rng.choice((females if female else males).split())
    else:
        given = rng.choice(tails["female" if female else "male"])
    family = rng.choice(families.split()) if rng.random() < 0.05 else rng.choice(tails["family"])
    country = rng.choice(countries)
    family = feminine(family, country) if female else family
    native = ""
    if cyrillic:
        native = f"{given} {family}"
        given, family = transliterate(given, "en"), transliterate(family, "en")
    domain = rng.choice(domains.split() + ["gmail.com"])
    emails = (anyascii(f"{given}.{family}.{rng.randrange(1000)}@{domain}").lower().replace(" ", ""),)
    organisations = ()
    if rng.random() < 0.2:
        name, short, _, _ = rng.choice(ORGANISATIONS)
        organisations = (name, short)
    identity = Identity(
        given_name=given,
        family_name=family,
        native_name=native,
        emails=emails,
        country=country,
        organisations=organisations,
        person_id=person_id,
    )
    return identity, native


def variant(rng: random.Random, person: Identity, native: str, row: int) -> Identity:
    """The same person as another source writes them."""
    base = Identity(country=person.country if rng.random() < 0.5 else None, row=row)
    kind = rng.choice(("transliteration", "plain", "typo", "swapped", "caps", "initial", "email"))
    given, family = person.given_name, person.family_name
    if kind == "transliteration" and native:
        words = native.split()
        scheme = rng.choice(("de", "fr"))
        return replace(base, given_name=transliterate(words[0], scheme), family_name=transliterate(words[1], scheme))
    if kind == "typo" and len(family) > 4:
        position = rng.randrange(1, len(family) - 1)
        return replace(base, given_name=given, family_name=family[:position] + family[position + 1 :])
    if kind == "swapped":
        return replace(base, given_name=family, family_name=given)
    if kind == "caps":
        return replace(base, full_name=f"{family.upper()} {given}")
    if kind == "initial":
        return replace(base, given_name=given[0] + ".", family_name=family, organisations=person.organisations)
    if kind == "email":
        return replace(base, emails=person.emails)
    return replace(base, given_name=anyascii(given), family_name=anyascii(family))


def seed(people: list[Identity]) -> None:
    organisation_ids = {}
    for org_id, (name, short, _, _) in enumerate(ORGANISATIONS, start=1):
        db.session.execute(insert(Organisation.__table__), [{"id": org_id, "name": name, "short_name": short}])
        organisation_ids[name] = org_id
    for first in range(0, len(people), BATCH):
        batch = people[first : first + BATCH]
        db.session.execute(
            insert(Person.__table__),
            [
                {
                    "id": p.person_id,
                    "given_name": p.given_name,
                    "family_name": p.family_name,
                    "native_name": p.native_name,
                    "country": p.country,
                }
                for p in batch
            ],
        )
        db.session.execute(
            insert(EmailAddress.__table__),
            [{"person_id": p.person_id, "address": e, "is_primary": True} for p in batch for e in p.emails],
        )
        roles = [
            {"person_id": p.person_id, "organisation_id": organisation_ids[p.organisations[0]]}
            for p in batch
            if p.organisations
        ]
        if roles:
            db.session.execute(insert(Role.__table__), roles)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the matching's top functions")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tails = make_tails(rng, max(2000, args.people))
    people, natives = [], {}
    for person_id in range(1, args.people + 1):
        identity, native = make_identity(rng, tails, person_id)
        people.append(identity)
        natives[person_id] = native
    rows, planted = [], {}
    for row in range(1, args.rows + 1):
        if rng.random() < 0.33:
            person = rng.choice(people)
            rows.append(variant(rng, person, natives[person.person_id], row))
            planted[row] = person.person_id
        else:
            rows.append(replace(make_identity(rng, tails)[0], row=row))

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{os.path.join(directory, 'bench.sqlite3')}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            seed(people)
            print(f"seeded {len(people)} people in {time.perf_counter() - started:.1f} s")
            started, cpu = time.perf_counter(), time.process_time()
            index = PeopleIndex.load(db.session)
            load_seconds, load_cpu = time.perf_counter() - started, time.process_time() - cpu
            db.engine.dispose()

    profiler = cProfile.Profile() if args.profile else None
    outcomes: Counter[str] = Counter()
    found = 0
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for identity in rows:
        profile = prepare(identity)  # folded once for both the lookup and the index
        decision = decide(index.matches(profile))
        outcomes[decision.outcome] += 1
        target = planted.get(identity.row)
        found += target is not None and any(m.person_id == target for m in decision.people)
        index.add(profile)
    match_seconds, match_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    # CPU time beside wall time: on a shared machine the wall clock also counts other processes.
    print(f"load   {len(people):>7} people   {load_seconds:6.2f} s  (CPU {load_cpu:.2f} s)")
    print(
        f"match  {len(rows):>7} rows     {match_seconds:6.2f} s  (CPU {match_cpu:.2f} s, "
        f"{match_seconds / len(rows) * 1e6:.0f} µs a row)"
    )
    print(f"total                    {load_seconds + match_seconds:6.2f} s  (CPU {load_cpu + match_cpu:.2f} s)")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"planted variants found: {found} of {len(planted)} ({found / max(1, len(planted)):.1%})")
    print("decisions: " + ", ".join(f"{name} {count}" for name, count in outcomes.most_common()))


if __name__ == "__main__":
    main()
