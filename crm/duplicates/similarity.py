"""How alike two names are, word by word (names as crm.duplicates.names tokens).

The words of the two names are aligned, most alike pairs first. Words left over on one side only
are an omission (a missing middle name, patronymic or second surname) and cost little; words
left over on both sides contradict each other (Indrek / Andres Tarand) and cost their full weight.
Word similarities are cached: an import compares the same common names thousands of times.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA, Indel, Levenshtein

from crm.duplicates.names import Token, canonical_form, loose_word


class NameComparison(NamedTuple):
    similarity: float  # 0-1
    swapped: bool = False  # given and family names in each other's place
    partial: bool = False  # a middle name, patronymic or second surname on one side only
    initial: bool = False  # a given name matched only by its initial
    short_form: bool = False  # Lola / Dolores


NO_MATCH = NameComparison(0.0)
SAME_NAME = NameComparison(1.0)
_WEIGHT = {"g": 0.8, "m": 0.3, "p": 0.4, "f": 1.0, "n": 0.9}
_GIVEN_ROLES = frozenset("gmpn")
_SWAPPED_ROLES = ({"g", "f"}, {"m", "f"})
ALIGN = 0.74  # below this two words are not one word misspelt
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=20_000)
def word_similarity(a: str, b: str, given_like: bool) -> tuple[float, str]:
    """0-1 and a note ("initial", "short"); `given_like`: both words may be given names."""
    if a == b:
        return 1.0, ""
    if len(a) == 1 or len(b) == 1:
        return (0.85, "initial") if given_like and a[0] == b[0] else (0.0, "")
    if given_like:
        canonical = canonical_form(a)
        if canonical is not None and canonical == canonical_form(b):
            return 0.95, "short"
    similarity = Indel.normalized_similarity(a, b)
    if similarity < 0.9:
        similarity = max(similarity, Indel.normalized_similarity(loose_word(a), loose_word(b)))
    shortest = min(len(a), len(b))
    # One slip of the finger in a long word, or two letters swapped (Paet / Peat); in a short
    # word one other letter is often another name (Bart / Bert), so that is left to the ratio.
    if (
        ALIGN <= similarity < 0.9
        and shortest >= 4
        and OSA.distance(a, b) == 1
        and (shortest >= 5 or Levenshtein.distance(a, b) == 2)
    ):
        similarity = 0.9
    if similarity >= ALIGN and _gendered_pair(a, b):
        return 0.0, ""  # Federica / Federico, Jan / Jana, Tumenov / Tumenova: another person
    return similarity, ""


def _gendered_pair(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    if len(b) == len(a) + 1:
        return len(a) >= 3 and b[-1] == "a" and b.startswith(a)
    return len(a) == len(b) >= 4 and a[-1] in _VOWELS and b[-1] in _VOWELS and a[:-1] == b[:-1]


def _merge_joined(a: tuple[Token, ...], b: tuple[Token, ...]) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """Join a side's words of one role when the other side writes them as one: Pier Antonio, Pierantonio."""
    for role, roles in (("g", "gm"), ("f", "f")):
        words_a = [w for w, r in a if r in roles]
        words_b = [w for w, r in b if r in roles]
        if len(words_a) != len(words_b) and "".join(words_a) == "".join(words_b):
            joined = "".join(words_a)
            a = tuple(t for t in a if t[1] not in roles) + ((joined, role),)
            b = tuple(t for t in b if t[1] not in roles) + ((joined, role),)
    return a, b


def compare_tokens(a: tuple[Token, ...], b: tuple[Token, ...]) -> NameComparison:
    if not a or not b:
        return NO_MATCH
    if a == b:
        return SAME_NAME
    if len(a) == len(b) == 2 and a[0][1] == b[0][1] == "g" and a[1][1] == b[1][1] == "f":
        quick = _given_and_family(a, b)
        if quick is not None:
            return quick
    if len(a) + len(b) > 4:  # only a name of three words or more can be written joined
        a, b = _merge_joined(a, b)
    pairs = []
    for i, (word_a, role_a) in enumerate(a):
        for j, (word_b, role_b) in enumerate(b):
            similarity, note = word_similarity(word_a, word_b, role_a in _GIVEN_ROLES and role_b in _GIVEN_ROLES)
            if similarity >= ALIGN:
                pairs.append((similarity, i, j, note))
    if not pairs:
        return NO_MATCH
    pairs.sort(reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = total = 0.0
    swapped = initial = short_form = False
    for similarity, i, j, note in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        role_a, role_b = a[i][1], b[j][1]
        weight = _WEIGHT[role_a] + _WEIGHT[role_b]
        matched += similarity * weight
        total += weight
        initial |= note == "initial"
        short_form |= note == "short"
        swapped |= {role_a, role_b} in _SWAPPED_ROLES
    left_a = [role for index, (_, role) in enumerate(a) if index not in used_a]
    left_b = [role for index, (_, role) in enumerate(b) if index not in used_b]
    if left_a and left_b:
        penalty = sum(_WEIGHT[r] for r in left_a) + sum(_WEIGHT[r] for r in left_b)
    else:
        family_used = any(a[i][1] in "fn" for i in used_a)
        penalty = sum(_WEIGHT[r] * _omission_factor(r, family_used) for r in left_a + left_b)
    similarity = matched / (total + penalty) * (0.97 if swapped else 1.0)
    partial = not (left_a and left_b) and bool(left_a or left_b)
    return NameComparison(similarity, swapped, partial, initial, short_form)


def _given_and_family(a: tuple[Token, ...], b: tuple[Token, ...]) -> NameComparison | None:
    """The usual case, "Given Family" on both sides: what the general alignment below computes,
    without building it. None when a given name may stand in the other's family name (swapped)."""
    given, note = word_similarity(a[0][0], b[0][0], True)
    family = word_similarity(a[1][0], b[1][0], False)[0]
    weight_given, weight_family = 2 * _WEIGHT["g"], 2 * _WEIGHT["f"]
    if given >= ALIGN and family >= ALIGN:
        similarity = (given * weight_given + family * weight_family) / (weight_given + weight_family)
        return NameComparison(similarity, False, False, note == "initial", note == "short")
    if word_similarity(a[0][0], b[1][0], False)[0] >= ALIGN or word_similarity(a[1][0], b[0][0], False)[0] >= ALIGN:
        return None
    # One pair aligns and the other contradicts it: Mukhtar Dzhakishev / Mukhtar Ablyazov.
    if family >= ALIGN:
        return NameComparison(family * weight_family / (weight_family + weight_given))
    if given >= ALIGN:
        return NameComparison(given * weight_given / (weight_given + weight_family), initial=note == "initial")
    return NO_MATCH


def _omission_factor(role: str, family_used: bool) -> float:
    if role in "fn":
        # A second surname is a detail; a name matched on given names alone is weak.
        return 0.25 if family_used else 1.0
    return 0.4 if role == "g" else 0.25
