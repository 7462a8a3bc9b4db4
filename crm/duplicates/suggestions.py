"""People whose name is near a search that found nothing: "Did you mean Federica Mogherini?"

The query is compared with people's names by the duplicate finder's own matcher (names'
tokens, similarity.compare_tokens), its words and the name's taken in no particular order, as a
search box gives them. Who is compared comes from one scan of the folded sort key (family, given
name, patronymic: crm.folding.sort_key) in the index that sorts the people list, so the table
itself is not read: a word with one slip in it (a letter missing, added, wrong, or two swapped)
still starts or ends as the right word does, so the candidates are the people whose key holds
the query word's first part or its last part, as typed or as it sounds.
"Mogehrini" meets "mogherini" by "rini", "Jakishev" meets "dzhakishev" by "hev". Everything else
is left to the matcher.
"""

from __future__ import annotations

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from crm.contacts.models import Person, Role
from crm.contacts.search_index import holding_any
from crm.duplicates.names import unordered_tokens
from crm.duplicates.similarity import compare_tokens
from crm.extensions import db
from crm.folding import plain_fold, sound_fold

# Below this a name shares a word at best and contradicts the rest: no helpful guess.
MIN_SIMILARITY = 0.7
_MIN_WORD = 4  # a shorter word has no start or end of its own: "jan" would bring half the list
_MAX_WORDS = 4
_SCANNED_WORDS = 2  # the longest two are enough to find a name; each word costs the scan a few patterns
# A common ending ("-ova", "-enko") meets thousands; the best of the first few thousand is enough
# for a guess, and scoring them stays a few milliseconds.
MAX_CANDIDATES = 3000


def suggest_people(query: str, limit: int = 5) -> list[Person]:
    """Active people whose name is most like `query`, best first; none for junk or a short query."""
    query_tokens = unordered_tokens(" ".join(plain_fold(query).split()[:_MAX_WORDS]))
    statement = candidates_statement(query)
    if statement is None or not query_tokens:
        return []
    scored, similarities = [], {}
    for person_id, sort_key in db.session.execute(statement):
        if sort_key not in similarities:  # namesakes: one comparison for all the Jan Nováks
            similarities[sort_key] = compare_tokens(query_tokens, unordered_tokens(sort_key)).similarity
        if similarities[sort_key] >= MIN_SIMILARITY:
            scored.append((-similarities[sort_key], sort_key, person_id))
    best = [person_id for _, _, person_id in sorted(scored)[:limit]]
    if not best:
        return []
    people = db.session.scalars(
        select(Person).where(Person.id.in_(best)).options(selectinload(Person.roles).selectinload(Role.organisation))
    )
    by_id = {person.id: person for person in people}
    return [by_id[person_id] for person_id in best if person_id in by_id]


def candidates_statement(query: str) -> Select | None:
    """The one scan that finds who to compare (bench/search_bench.py times it bare); None when
    no query word is long enough to have a start and an end of its own."""
    words = sorted(plain_fold(query).split()[:_MAX_WORDS], key=len, reverse=True)[:_SCANNED_WORDS]
    patterns: set[str] = set()
    for word in words:
        for folded in {word, sound_fold(word)}:
            if len(folded) >= _MIN_WORD and folded.isalnum():  # no "%" or "_" to escape
                # One slip leaves the start or the end whole; under seven letters, unless it is in the middle.
                part = max(3, (len(folded) - 1) // 2)
                # Anywhere in the key, not only at a word's start or end: half the patterns, half the scan.
                patterns |= {f"%{folded[:part]}%", f"%{folded[-part:]}%"}
    if not patterns:
        return None
    in_key = or_(*(Person.sort_key.like(p) for p in sorted(patterns)))
    # SQLite: the trigram index of the search text (which holds every word of the key) names the people
    # to check when they are few, instead of a scan of the whole key index; taken in that index's order,
    # so the first MAX_CANDIDATES are the same. PostgreSQL reads its trigram index of sort_key for the LIKE.
    looked_up = holding_any((p.strip("%") for p in patterns), at_most=2 * MAX_CANDIDATES)
    if looked_up is not None:
        return (
            select(Person.id, Person.sort_key)
            # in coalesce, the flag cannot lure SQLite into walking the key index past every person
            .where(looked_up, func.coalesce(Person.archived, false()) == false(), in_key)
            .order_by(Person.sort_key, Person.id)
            .limit(MAX_CANDIDATES)
        )
    return select(Person.id, Person.sort_key).where(Person.archived.is_(False), in_key).limit(MAX_CANDIDATES)
