"""How likely two identities are one person, with the reasons, as pure functions (no database).

The score is 0-1. `CERTAIN` and above: the same person beyond reasonable doubt (a shared email
or external id, or the same name backed by country and organisation). `LIKELY` and above:
worth a look by a person before anything is merged or updated. Evidence against counts too:
a different country, a different id in the same list, a different given name. The same full
name is always worth a look, whatever the country says; only a second contradiction (no
organisation in common) makes it a namesake.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache

from crm.duplicates.names import Token, is_other_script, latin_tokens, shared, unordered_tokens
from crm.duplicates.similarity import NO_MATCH, NameComparison, compare_tokens
from crm.folding import plain_fold
from crm.values import country_name

Form = tuple[tuple[Token, ...], bool, str]  # (tokens, written in another script, the name as written)

CERTAIN = 0.9
LIKELY = 0.7

# Name evidence alone tops out below CERTAIN: namesakes exist. Country and organisation add to it.
_SAME_NAME = 0.85
_NAME_SLOPE = 1.6  # score lost per unit of name dissimilarity
_SAME_COUNTRY = 0.04
_OTHER_COUNTRY = -0.25
# The same full name (folded) in another country is still LIKELY: official lists get a
# citizenship wrong, people move. A namesake with no organisation in common stays below it.
_OTHER_COUNTRY_SAME_NAME = -0.12
_SAME_ORGANISATION = 0.08
_NO_COMMON_ORGANISATION = -0.05
_SAME_EMAIL = 0.92  # the floor when the names agree or one side has none
_SHARED_ADDRESS = 0.75  # same email, different names: an office address? shown, not trusted
_OTHER_ID_CAP = 0.4  # two different ids in one list are two records there
_BEST_SUPPORT = _SAME_COUNTRY + _SAME_ORGANISATION


@dataclass(frozen=True, slots=True)
class Identity:
    """What matching needs to know of a person or an import row.

    `full_name` is for a name whose parts are not split (order unknown). `person_id` or `row`
    says where the identity comes from, and comes back in the matches."""

    given_name: str = ""
    family_name: str = ""
    patronymic: str = ""
    native_name: str = ""
    full_name: str = ""
    emails: tuple[str, ...] = ()
    country: str | None = None
    organisations: tuple[str, ...] = ()  # names and short names
    external_ids: tuple[tuple[str, str], ...] = ()  # (scheme, value): ("ep", "124831")
    person_id: int | None = None
    row: int | None = None

    @property
    def label(self) -> str:
        parts = (self.given_name, self.patronymic, self.family_name)
        return " ".join(p for p in parts if p) or self.full_name or self.native_name or ", ".join(self.emails)


@dataclass(frozen=True, slots=True)
class Match:
    """The candidate (`person_id` or `row`) an identity was compared with, how alike, and why."""

    score: float
    reasons: list[str] = field(default_factory=list)
    person_id: int | None = None
    row: int | None = None
    row_name: str = ""  # an earlier row's name, as written

    @property
    def level(self) -> str:
        return "certain" if self.score >= CERTAIN else "likely" if self.score >= LIKELY else "unlikely"


class Profile:
    """An identity folded once for comparing it with many others.

    Its values are tuples of strings (not sets or the Identity itself), which the cycle collector
    stops tracking: an index of 100 000 profiles would otherwise slow every collection down."""

    __slots__ = ("person_id", "row", "forms", "emails", "external_ids", "country", "organisations")

    def __init__(self, identity: Identity) -> None:
        self.person_id, self.row = identity.person_id, identity.row
        forms: list[Form] = []
        latin = latin_tokens(identity.given_name, identity.patronymic, identity.family_name)
        if latin:
            forms.append((latin, False, " ".join((identity.given_name, identity.patronymic, identity.family_name))))
        for text in (identity.full_name, identity.native_name):
            tokens = unordered_tokens(text) if text else ()
            if tokens and {w for w, _ in tokens} != {w for f, *_ in forms for w, _ in f}:
                forms.append((tokens, is_other_script(text), text))
        self.forms = tuple(forms)
        self.emails = tuple(sorted({e.strip().lower() for e in identity.emails if e and e.strip()}))
        self.external_ids = tuple(
            sorted({(s.strip().lower(), v.strip()) for s, v in identity.external_ids if v and v.strip()})
        )
        country = (identity.country or "").strip().upper()
        self.country = sys.intern(country) if country else None  # a few dozen codes, shared by all
        # (folded, as written): compared folded ("S&D" = "s&d"), shown as written.
        self.organisations = shared(
            tuple(sorted({(_fold_organisation(o), o.strip()) for o in identity.organisations if o and o.strip()}))
        )

    @property
    def name(self) -> str:
        """The name as written (spaces folded), else the emails: how a row is named to staff."""
        return " ".join(self.forms[0][2].split()) if self.forms else ", ".join(self.emails)


@lru_cache(maxsize=20_000)
def _fold_organisation(name: str) -> str:
    return plain_fold(name)  # the same few hundred organisations, over and over


def prepare(identity: Identity | Profile) -> Profile:
    return identity if isinstance(identity, Profile) else Profile(identity)


def compare_names(a: Profile, b: Profile) -> tuple[NameComparison, Form, Form]:
    """The best comparison over the name forms of both, and the two forms it compared.
    Latin forms come first, so on a tie the comparison within one script is kept."""
    if len(a.forms) == 1 == len(b.forms):  # the usual case
        return compare_tokens(a.forms[0][0], b.forms[0][0]), a.forms[0], b.forms[0]
    best, best_a, best_b = NO_MATCH, a.forms[0], b.forms[0]
    for form_a in a.forms:
        for form_b in b.forms:
            result = compare_tokens(form_a[0], form_b[0])
            if result.similarity > best.similarity:
                best, best_a, best_b = result, form_a, form_b
                if best.similarity >= 1.0:
                    return best, best_a, best_b
    return best, best_a, best_b


def _same_full_name(comparison: NameComparison | None, form_a: Form | None, form_b: Form | None) -> bool:
    """Every word of both names the same once folded (case, diacritics, script, transliteration),
    and at least a given and a family name: one word alone is too common to count."""
    return comparison is not None and _identical(comparison) and min(len(form_a[0]), len(form_b[0])) >= 2


def _identical(comparison: NameComparison) -> bool:
    return comparison.similarity >= 0.999 and not (comparison.swapped or comparison.partial)


def _spelling(text: str) -> list[str]:
    return sorted(plain_fold(text).split())


def _name_reasons(comparison: NameComparison, form_a: Form, form_b: Form) -> list[str]:
    script = " in another script" if form_a[1] != form_b[1] else ""
    if _identical(comparison):
        if not script and _spelling(form_a[2]) != _spelling(form_b[2]):
            return ["same name, spelt differently"]  # Mogerini / Mogherini, Djakishev / Dzhakishev
        return [f"same name{script}"]
    reasons = [shared(f"name {comparison.similarity:.0%} similar{script}")]
    if comparison.swapped:
        reasons.append("given and family names swapped")
    if comparison.partial:
        reasons.append("a middle name, patronymic or second surname on one side only")
    if comparison.initial:
        reasons.append("a given name matched by its initial")
    if comparison.short_form:
        reasons.append("a short form of the given name")
    return reasons


def score(a: Identity | Profile, b: Identity | Profile, *, threshold: float = 0.0) -> Match | None:
    """How likely `a` and `b` are one person; the match names `b` (its person id or row).

    Below `threshold` the answer is None and no reasons are written (the index's fast path)."""
    a, b = prepare(a), prepare(b)
    shared_ids = [i for i in a.external_ids if i in b.external_ids] if a.external_ids and b.external_ids else ()
    other_ids = (
        {s for s, _ in a.external_ids} & {s for s, _ in b.external_ids} if a.external_ids and b.external_ids else ()
    )
    emails = [e for e in a.emails if e in b.emails] if a.emails and b.emails else ()
    comparison, form_a, form_b = compare_names(a, b) if a.forms and b.forms else (None, None, None)
    value = max(0.0, _SAME_NAME - _NAME_SLOPE * (1 - comparison.similarity)) if comparison else 0.0
    if value + _BEST_SUPPORT < threshold and not (emails or shared_ids):
        return None  # not even the same country and organisation would lift it to the threshold
    same_country = a.country == b.country if a.country and b.country else None
    if same_country is not None:
        if same_country:
            value += _SAME_COUNTRY
        else:
            value += _OTHER_COUNTRY_SAME_NAME if _same_full_name(comparison, form_a, form_b) else _OTHER_COUNTRY
    common = None
    if a.organisations and b.organisations:
        folded_a = {folded for folded, _ in a.organisations}
        common = [(folded, written) for folded, written in b.organisations if folded in folded_a]
        value += _SAME_ORGANISATION if common else _NO_COMMON_ORGANISATION
    names_agree = comparison is None or comparison.similarity >= 0.6
    if emails:
        value = max(value, _SAME_EMAIL if names_agree else _SHARED_ADDRESS)
    if shared_ids:
        value = 1.0
    elif other_ids:
        value = min(value, _OTHER_ID_CAP)
    value = round(min(1.0, max(0.0, value)), 3)
    if value < threshold:
        return None

    reasons: list[str] = []
    if shared_ids:
        reasons.append("same {} id {}".format(*shared_ids[0]))
    elif other_ids:
        reasons.append(f"different {sorted(other_ids)[0]} ids")
    if emails:
        reasons.append(f"same email {emails[0]}" + ("" if names_agree else ", but other names"))
    if comparison is not None:
        reasons += _name_reasons(comparison, form_a, form_b) if comparison.similarity > 0 else ["different names"]
    # Shared: an import holds back thousands of rows with their candidates' reasons and names,
    # made of a few hundred distinct strings.
    if same_country is not None:
        reasons.append(
            shared(
                f"same country ({country_name(a.country)})"
                if same_country
                else f"different country ({country_name(a.country)} / {country_name(b.country)})"
            )
        )
    if common is not None:
        first = min(common, key=lambda pair: (len(pair[0]), pair[0]))[1] if common else None
        reasons.append(shared(f"same organisation ({first})") if first else "no organisation in common")
    return Match(value, reasons, b.person_id, b.row, shared(b.name) if b.row is not None else "")
