"""Precision and recall on the labelled name variants (tests/duplicates/name_variants.py).

A pair counts as "same" when the index returns the stored person at LIKELY or above for the
variant, so blocking misses count as misses. `pytest -s` prints the figures."""

from dataclasses import replace
from itertools import combinations

from crm.duplicates.index import PeopleIndex
from crm.duplicates.score import LIKELY, score
from tests.duplicates.name_variants import DIFFERENT, PEOPLE, SAME


def _index() -> tuple[PeopleIndex, dict[str, int]]:
    index = PeopleIndex()
    ids = {}
    for person_id, (key, identity) in enumerate(PEOPLE.items(), start=1):
        index.add(replace(identity, person_id=person_id))
        ids[key] = person_id
    return index, ids


def _found(index: PeopleIndex, person_id: int, variant) -> bool:
    return any(match.person_id == person_id for match in index.matches(variant, threshold=LIKELY))


def test_precision_and_recall_through_the_index():
    index, ids = _index()
    true_positives = sum(_found(index, ids[key], variant) for key, variant, _ in SAME)
    false_negatives = [
        (key, variant.label, note) for key, variant, note in SAME if not _found(index, ids[key], variant)
    ]
    false_positives = [
        (key, variant.label, note) for key, variant, note in DIFFERENT if _found(index, ids[key], variant)
    ]
    precision = true_positives / max(1, true_positives + len(false_positives))
    recall = true_positives / len(SAME)
    print(
        f"\nlabelled set: {len(SAME)} same + {len(DIFFERENT)} different = {len(SAME) + len(DIFFERENT)} pairs; "
        f"precision {precision:.3f}, recall {recall:.3f}"
        f"\nmissed: {false_negatives}\nwrongly matched: {false_positives}"
    )
    assert len(SAME) + len(DIFFERENT) >= 150
    assert precision >= 0.95
    assert recall >= 0.90


def test_the_stored_people_are_not_duplicates_of_each_other():
    """Every pair of the 26 stored people (325 more negatives): none at LIKELY."""
    wrong = [
        (a, b, match.score)
        for (a, left), (b, right) in combinations(PEOPLE.items(), 2)
        if (match := score(left, right)).score >= LIKELY
    ]
    print(f"\nall pairs of stored people: {len(PEOPLE) * (len(PEOPLE) - 1) // 2}, wrongly matched: {wrong}")
    assert wrong == []


def test_a_variant_meets_only_its_own_person():
    """Ambiguity check: a variant of one stored person does not also match another one."""
    index, ids = _index()
    ambiguous = [
        (key, variant.label)
        for key, variant, _ in SAME
        if any(m.person_id != ids[key] for m in index.matches(variant, threshold=LIKELY))
    ]
    assert ambiguous == []
