"""A blocking index: compare an identity only with the few people who share a key with it.

Keys are an email, an external id, or a family-name word (loosely folded: names.loose_word)
with the initial of a given name, so the 60 Nováks are split by initial. Each family word also
has "near" keys that a misspelt form of it shares (see _near_keys); the words under a near key
are compared in one C call before anyone is scored. Within a block people are kept by given
name and country, and a row looking for LIKELY matches meets only those whose given name and
country do not contradict its own: Jan Novák (CZ) never meets Jürgen Novák, nor Jan Novák-Malá
(PL), as two given names, or two countries under names that differ, keep a pair below LIKELY
whatever else agrees (tests/duplicates/test_index.py holds score to that); nor does it meet a
double-barrelled name through one of its two family names when the other differs. The same full
name is LIKELY in any country, so it is also looked up whole, by its sorted folded words. A row
is also looked up with given and family names swapped. Everything else is left to `score`.
"""

from __future__ import annotations

import gc
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel
from sqlalchemy.orm import Session

from crm.duplicates.loading import load_identities
from crm.duplicates.names import Token, canonical_form, initial_class, loose_word
from crm.duplicates.score import CERTAIN, LIKELY, Identity, Match, Profile, prepare, score
from crm.duplicates.similarity import ALIGN, word_similarity

# How alike a near key's word must be to the looked-up one: one typo in a word of five
# letters or more leaves at least 0.8, two letters swapped in a four-letter word 0.75.
_NEAR, _NEAR_SHORT = 0.8, 0.74
_INITIALS = sorted({initial_class(letter) for letter in "abcdefghijklmnopqrstuvwxyz0123456789"})


def _near_keys(word: str) -> list[str]:
    """Keys a misspelt `word` still shares with the right one.

    A word of up to seven letters: itself, and itself with one letter dropped, which a
    one-letter slip always leaves in common (Paet / Peat, Soltes / Sholtes). A word of seven
    letters or more: its first three letters, and its first letter with its last four (the last
    three alone would block every "-ova" and "-enko" together). Seven gets both, so a word that
    grows or shrinks across that length still meets itself."""
    keys = []
    if 3 <= len(word) <= 7:
        keys += ["~" + word] + ["~" + word[:position] + word[position + 1 :] for position in range(len(word))]
    if len(word) >= 7:
        keys += ["<" + word[:3], ">" + word[0] + word[-4:]]
    return keys


def _given_initials(tokens: tuple[Token, ...]) -> set[str]:
    # Every given name's initial, and that of its full form: "Lola" is also keyed under D(olores).
    initials = set()
    for word, role in tokens:
        if role in "gm":
            initials.add(initial_class(word))
            canonical = canonical_form(word)
            if canonical:
                initials.add(initial_class(canonical))
    return initials or {""}


def name_pairs(profile: Profile) -> set[tuple[str, str]]:
    """(loose family word, initial class of a given name, or "" without one) for each name form."""
    pairs: set[tuple[str, str]] = set()
    for tokens, *_ in profile.forms:
        family = [loose_word(w) for w, r in tokens if r == "f"]
        if family:
            initials = _given_initials(tokens)
            pairs.update((word, initial) for word in family for initial in initials)
        unordered = [loose_word(w) for w, r in tokens if r == "n"]
        for word in unordered:
            others = {initial_class(o) for o in unordered if o != word} or {""}
            pairs.update((word, initial) for initial in others)
    return pairs


def swapped_pairs(profile: Profile) -> set[tuple[str, str]]:
    """The given name as if it were the family name, with the family name's initial."""
    pairs: set[tuple[str, str]] = set()
    for tokens, *_ in profile.forms:
        family = next((w for w, r in tokens if r == "f"), None)
        given = next((w for w, r in tokens if r == "g"), None)
        if family and given:
            pairs.add((loose_word(given), initial_class(family)))
    return pairs


def full_names(profile: Profile) -> set[str]:
    """Each name form's folded words, sorted: the key of the same full name whatever the country
    (score counts it so). One word alone is too common to be a full name."""
    return {" ".join(sorted(word for word, _ in tokens)) for tokens, *_ in profile.forms if len(tokens) > 1}


def _double_barrelled(profile: Profile) -> bool:
    """One name form with exactly two distinct family words (loosely folded)."""
    if len(profile.forms) != 1:
        return False
    return len({loose_word(w) for w, r in profile.forms[0][0] if r == "f"}) == 2


_ANY_GIVEN = "*"  # the sub-block of names with several given names, a patronymic or none


def sole_given(profile: Profile) -> str:
    """The one given name of a one-form "Given Family…" name, else _ANY_GIVEN: such names are
    the only ones whose given name alone can rule a candidate out (see similarity.compare_tokens)."""
    if len(profile.forms) != 1:
        return _ANY_GIVEN
    tokens = profile.forms[0][0]
    given = [word for word, role in tokens if role != "f"]
    # Up to two family words: with more, the rest of the name could outweigh two given names apart.
    return given[0] if len(given) == 1 and tokens[0][1] == "g" and len(tokens) <= 3 else _ANY_GIVEN


@lru_cache(maxsize=50_000)
def _compatible(given: str, other: str) -> bool:
    return other == _ANY_GIVEN or word_similarity(given, other, True)[0] >= ALIGN


_POSITION = struct.Struct("i")  # native int, as memoryview.cast("i") reads it back


def _append(positions_by_key: dict[str, bytes], key: str, position: int) -> None:
    positions_by_key[key] = positions_by_key.get(key, b"") + _POSITION.pack(position)


def _positions(packed: bytes | None) -> memoryview | tuple:
    return memoryview(packed).cast("i") if packed else ()


@contextmanager
def _bulk() -> Iterator[None]:
    # Building the index allocates hundreds of thousands of objects and no reference cycles; the
    # cycle collector would walk them again and again, for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Decision:
    """What a row's matches mean for an import: "new", "match" (one certain person), "review"
    (one likely person), or "ambiguous" (several people): never guess between people."""

    outcome: str
    people: list[Match] = field(default_factory=list)  # every person at LIKELY or above, best first
    rows: list[Match] = field(default_factory=list)  # earlier rows of the same file at LIKELY or above

    @property
    def person(self) -> Match | None:
        return self.people[0] if self.outcome in ("match", "review") else None


def decide(matches: list[Match]) -> Decision:
    people = [m for m in matches if m.person_id is not None and m.score >= LIKELY]
    rows = [m for m in matches if m.row is not None and m.score >= LIKELY]
    if not people:
        outcome = "new"
    elif len(people) > 1:
        outcome = "ambiguous"
    else:
        outcome = "match" if people[0].score >= CERTAIN else "review"
    return Decision(outcome, people, rows)


class PeopleIndex:
    """People (and rows added as the import goes) by email, external id and name keys."""

    def __init__(self) -> None:
        self.profiles: list[Profile] = []
        # Keys are strings and values bytes (packed positions in self.profiles) or strings (words
        # separated by spaces): nothing the cycle collector tracks, so it never walks these dicts'
        # million entries, as it did for lists and tuples again and again during an import.
        self._by_email: dict[str, bytes] = {}
        self._by_external_id: dict[str, bytes] = {}  # "scheme:value"
        self._by_full_name: dict[str, bytes] = {}  # "sorted folded words" of people with a country
        self._exact: dict[str, bytes] = {}  # "word|initial"
        self._subs: dict[str, str] = {}  # "word|initial" -> its sub-blocks "given/country", space-separated
        self._by_sub: dict[str, bytes] = {}  # "word|initial|given/country"
        self._near: dict[str, str] = {}  # "~key|initial" -> the distinct words under it
        self._initial_less: set[str] = set()  # family words of people indexed without a given name
        self._double_barrelled: set[int] = set()  # positions of one-form names with two family words

    def __len__(self) -> int:
        return len(self.profiles)

    @classmethod
    def load(cls, session: Session, *, include_archived: bool = False) -> PeopleIndex:
        index = cls()
        with _bulk():
            for identity in load_identities(session, include_archived=include_archived):
                index.add(identity)
        return index

    def add(self, identity: Identity | Profile) -> Profile:
        """Index a person, or a row so that later rows of the same file meet it. A person or row
        that a later row filled may be added again with the same person id or row number: its
        new email or spelling then finds them too, and matches still name them once."""
        profile = prepare(identity)
        position = len(self.profiles)
        self.profiles.append(profile)
        if _double_barrelled(profile):
            self._double_barrelled.add(position)
        for email in profile.emails:
            _append(self._by_email, email, position)
        for scheme, value in profile.external_ids:
            _append(self._by_external_id, f"{scheme}:{value}", position)
        if profile.country:  # without one, the blocks below let any country meet it
            for name in full_names(profile):
                _append(self._by_full_name, name, position)
        exact, near, subs = self._exact, self._near, self._subs
        sub = f"{sole_given(profile)}/{profile.country or ''}"
        for word, initial in name_pairs(profile):
            key = f"{word}|{initial}"
            if key not in exact:
                if not initial:
                    self._initial_less.add(word)
                for near_key in _near_keys(word):
                    near_key = f"{near_key}|{initial}"
                    near[near_key] = f"{near[near_key]} {word}" if near_key in near else word
            _append(exact, key, position)
            sub_key = f"{key}|{sub}"
            if sub_key not in self._by_sub:
                subs[key] = f"{subs[key]} {sub}" if key in subs else sub
            _append(self._by_sub, sub_key, position)
        return profile

    def candidates(self, profile: Profile, *, narrow: bool = False) -> set[int]:
        """Positions of everyone sharing a key with `profile`; `narrow`: only those who may
        reach LIKELY, leaving out names met with another given name or in another country."""
        found: set[int] = set()
        for email in profile.emails:
            found.update(_positions(self._by_email.get(email)))
        for scheme, value in profile.external_ids:
            found.update(_positions(self._by_external_id.get(f"{scheme}:{value}")))
        by_word: dict[str, set[int]] = {}
        sub = (sole_given(profile), profile.country or "") if narrow else (_ANY_GIVEN, "")
        for word, initial in name_pairs(profile):
            self._name_block(word, initial, sub, by_word.setdefault(word, set()))
        if narrow and len(by_word) == 2 and _double_barrelled(profile):
            # Met through one of its two family names only: the other contradicts, unless the
            # candidate has no second one (Horecký-Malová / Malová, not / Novák-Malová). Names
            # that contradict in a family name stay far below LIKELY (similarity.compare_tokens).
            first, second = by_word.values()
            found |= (first & second) | ((first ^ second) - self._double_barrelled)
        else:
            for positions in by_word.values():
                found |= positions
        for word, initial in swapped_pairs(profile):
            found.update(_positions(self._exact.get(f"{word}|{initial}")))
        if narrow and profile.country:  # the blocks above left out the same name in another country
            for name in full_names(profile):
                found.update(_positions(self._by_full_name.get(name)))
        return found

    def _name_block(self, word: str, initial: str, sub: tuple[str, str], found: set[int]) -> None:
        """Everyone whose family word is `word` or a near spelling of it, under the given initial,
        in the sub-blocks (given name, country) that do not contradict `sub`."""
        exact, near = self._exact, self._near
        if not initial:  # no given name to narrow by: every exact block of the word
            for each in _INITIALS:
                found.update(_positions(exact.get(f"{word}|{each}")))
        elif word in self._initial_less:
            found.update(_positions(exact.get(f"{word}|")))
        others = {word}
        cutoff = _NEAR if len(word) >= 5 else _NEAR_SHORT
        for key in _near_keys(word):
            words = near.get(f"{key}|{initial}")
            if words:
                # One C call per key: thousands of rows meet the same common prefixes.
                for other, _, _ in process.extract(
                    word, words.split(" "), scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=None
                ):
                    others.add(other)  # a word is under several of its own near keys: one look each
        for other in others:
            self._block(f"{other}|{initial}", sub, found)

    def _block(self, key: str, sub: tuple[str, str], found: set[int]) -> None:
        given, country = sub
        if given == _ANY_GIVEN and not country:
            found.update(_positions(self._exact.get(key)))
            return
        subs = self._subs.get(key)
        for other in subs.split(" ") if subs else ():
            other_given, _, other_country = other.partition("/")
            if country and other_country and country != other_country:
                continue
            if given == _ANY_GIVEN or _compatible(given, other_given):
                found.update(_positions(self._by_sub[f"{key}|{other}"]))

    def matches(self, identity: Identity | Profile, *, threshold: float = LIKELY) -> list[Match]:
        """Everyone in the index scoring at least `threshold` against `identity`, best first.
        Pass a Profile (`prepare(identity)`) when you will also `add` it: it is folded once."""
        profile = prepare(identity)
        own_person, own_row = profile.person_id, profile.row
        found = []
        for position in self.candidates(profile, narrow=threshold >= LIKELY):
            other = self.profiles[position]
            if other is profile or (own_person is not None and other.person_id == own_person):
                continue
            if own_row is not None and other.row == own_row:
                continue
            match = score(profile, other, threshold=threshold)
            if match is not None:
                found.append(match)
        found.sort(key=lambda m: (-m.score, m.person_id is None, m.person_id or 0, m.row or 0))
        # A person or row indexed twice (again with what a later row added to them) is one match.
        best, seen = [], set()
        for match in found:
            key = ("person", match.person_id) if match.person_id is not None else ("row", match.row)
            if key not in seen:
                best.append(match)
                if key[1] is not None:
                    seen.add(key)
        return best
