import pytest

from crm.contacts.models import LAWFUL_BASES
from crm.imports.clean.choices import (
    _group_key,
    category_index,
    clean_category,
    clean_lawful_basis,
    clean_political_group,
    default_categories,
    political_group,
    political_groups,
)
from crm.imports.clean.text import load_data
from crm.imports.results import ERROR, WARNING
from crm.taxonomy.service import DEFAULT_CATEGORIES
from crm.values import fold_key


@pytest.mark.parametrize(
    "value, short",
    [
        ("EPP", "EPP"),
        ("PPE", "EPP"),
        ("EVP", "EPP"),
        ("EPP Group", "EPP"),
        ("Group of the European People's Party (Christian Democrats)", "EPP"),
        ("EPP-ED", "EPP"),
        ("S&D", "S&D"),
        ("S & D", "S&D"),
        ("S and D", "S&D"),
        ("s&d", "S&D"),
        ("Groupe S&D", "S&D"),
        ("Group of the Progressive Alliance of Socialists and Democrats in the European Parliament", "S&D"),
        ("PSE", "S&D"),
        ("Renew Europe", "Renew"),
        ("Renew", "Renew"),
        ("Renew Europe Group", "Renew"),
        ("Renew Europe (RE)", "Renew"),
        ("Greens/EFA", "Greens/EFA"),
        ("Greens / EFA", "Greens/EFA"),
        ("Verts/ALE", "Greens/EFA"),
        ("Grüne/EFA", "Greens/EFA"),
        ("Group of the Greens/European Free Alliance", "Greens/EFA"),
        ("ECR", "ECR"),
        ("CRE", "ECR"),
        ("European Conservatives and Reformists Group", "ECR"),
        ("ID", "ID"),
        ("Identity and Democracy", "ID"),
        ("PfE", "PfE"),
        ("Patriots for Europe", "PfE"),
        ("Patriotes pour l'Europe", "PfE"),
        ("ESN", "ESN"),
        ("Europe of Sovereign Nations", "ESN"),
        ("The Left", "GUE/NGL"),
        ("GUE/NGL", "GUE/NGL"),
        ("GUE-NGL", "GUE/NGL"),
        ("Confederal Group of the European United Left - Nordic Green Left", "GUE/NGL"),
        ("NI", "NI"),
        ("Non-attached", "NI"),
        ("Non-inscrits", "NI"),
        ("fraktionslos", "NI"),
        ("ALDE", "ALDE"),  # ALDE ended in 2019; Renew is another group
        ("ADLE", "ALDE"),
        ("EFDD", "EFDD"),
        # PACE's groups
        ("EPP/CD", "EPP/CD"),
        ("PPE/DC", "EPP/CD"),
        ("SOC", "SOC"),
        ("Socialists, Democrats and Greens Group", "SOC"),
        ("EC/DA", "EC/DA"),
        ("UEL", "UEL"),
        ("NR", "NR"),
    ],
)
def test_political_groups_matched_loosely(value, short):
    problems = []
    assert clean_political_group(value, "political_group", problems) == short
    assert problems == []


def test_an_unknown_group_is_kept_with_a_warning():
    problems = []
    assert clean_political_group("Pirates", "political_group", problems) == "Pirates"
    assert [(p.severity, p.message) for p in problems] == [
        (WARNING, "“Pirates” is not a political group we know; it is kept as written.")
    ]
    assert political_group("NA") is None  # "not applicable", in a list of mixed contacts


def test_every_group_has_a_name_and_an_assembly():
    groups = political_groups()
    assert groups["S&D"].name.startswith("Group of the Progressive Alliance")
    assert {group.assembly for group in groups.values()} == {"european_parliament", "parliamentary_assembly"}
    for short, group in groups.items():
        assert political_group(short) == short
        assert political_group(group.name) == short


def test_no_alias_means_two_groups_once_matched_loosely():
    seen: dict[str, str] = {}
    for entries in load_data("political_groups.yaml").values():
        for short, entry in entries.items():
            for alias in (short, entry["name"], *entry["aliases"]):
                for key in (fold_key(alias), _group_key(alias)):
                    assert seen.setdefault(key, short) == short, alias


# --- Categories ---------------------------------------------------------------------------


def test_built_in_categories_match_the_taxonomy_defaults():
    assert default_categories() == tuple(DEFAULT_CATEGORIES)


@pytest.mark.parametrize(
    "value, name",
    [
        ("MEP", "MEP"),
        ("mep", "MEP"),
        ("Member of the European Parliament", "MEP"),
        ("Евродепутат", "MEP"),
        ("eurodéputé", "MEP"),
        ("europoseł", "MEP"),
        ("PACE deputy", "PACE deputy"),
        ("ПАСЕ", "PACE deputy"),
        ("APCE", "PACE deputy"),
        ("NGO", "NGO staff"),
        ("journaliste", "Journalist"),
        ("Journalistin", "Journalist"),
        ("адвокат", "Lawyer"),
        ("political prisoner", "Political prisoner"),
        ("политзаключённый", "Political prisoner"),
        ("правозащитник", "Human rights defender"),
        ("Human rights defender", "Human rights defender"),
    ],
)
def test_categories_by_name_or_alias(value, name):
    problems = []
    assert clean_category(value, category_index(default_categories()), "category", problems) == name
    assert problems == []


def test_a_renamed_category_still_matches_by_its_code_and_a_new_one_by_its_name():
    categories = (
        ("Member of the European Parliament", "mep"),
        ("Trade unionist", None),
        ("PACE deputy", "pace_deputy"),
    )
    index = category_index(categories)
    assert clean_category("MEP", index, "category", []) == "Member of the European Parliament"
    assert clean_category("евродепутат", index, "category", []) == "Member of the European Parliament"
    assert clean_category("trade unionist", index, "category", []) == "Trade unionist"
    problems = []
    assert clean_category("Journalist", index, "category", problems) == "Journalist"  # not in this database
    assert [p.message for p in problems] == ["“Journalist” is not one of the categories in this database."]


def test_a_category_name_wins_over_another_categorys_alias():
    index = category_index((("NGO", None), ("NGO staff", "ngo_staff")))
    assert clean_category("NGO", index, "category", []) == "NGO"


# --- Lawful basis -------------------------------------------------------------------------


def test_lawful_bases_are_the_ones_a_person_can_have():
    assert set(load_data("lawful_bases.yaml")["aliases"]) == set(LAWFUL_BASES)


@pytest.mark.parametrize(
    "value, code",
    [
        ("legitimate_interests", "legitimate_interests"),
        ("Legitimate interests", "legitimate_interests"),
        ("legitimate interest", "legitimate_interests"),
        ("Art. 6(1)(f) GDPR", "legitimate_interests"),
        ("6.1.f", "legitimate_interests"),
        ("Article 6(1)(f)", "legitimate_interests"),
        ("berechtigtes Interesse", "legitimate_interests"),
        ("intérêt légitime", "legitimate_interests"),
        ("consent", "consent"),
        ("Consent", "consent"),
        ("Einwilligung", "consent"),
        ("zgoda", "consent"),
        ("Art. 6(1)(a) DSGVO", "consent"),
        ("public task", "public_task"),
        ("Public_Task", "public_task"),
        ("contract", "contract"),
        ("legal obligation", "legal_obligation"),
        ("vital interests", "vital_interests"),
    ],
)
def test_lawful_basis(value, code):
    problems = []
    assert clean_lawful_basis(value, "lawful_basis", problems) == code
    assert problems == []


def test_an_unknown_lawful_basis_is_an_error():
    problems = []
    assert clean_lawful_basis("because", "lawful_basis", problems) is None
    assert [(p.severity, p.message) for p in problems] == [
        (ERROR, "“because” is not a GDPR lawful basis, such as consent or legitimate interests.")
    ]
