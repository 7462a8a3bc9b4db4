import datetime as dt

import pytest

from crm.contacts.sheet_fields import BY_KEY, FIELDS
from crm.imports.labels import SYNONYMS_PATH, fold_label, load_synonyms, synonym_table
from crm.imports.mapping import ColumnMatch, Mapping, apply_mapping, auto_map
from crm.spreadsheets.formats import column_letter


def fields_of(*labels: str) -> list[str | None]:
    return [column.field for column in auto_map(list(labels)).columns]


def column(mapping: Mapping, index: int) -> ColumnMatch:
    return mapping.columns[index]


# --- One label at a time, in many languages ---------------------------------------------------


@pytest.mark.parametrize(
    ("label", "key"),
    [
        # the examples of the issue
        ("E-mail address", "email"),
        ("Courriel", "email"),
        ("Фамилия", "family_name"),
        ("Имя", "given_name"),
        ("Отчество", "patronymic"),
        ("Member State", "country"),
        ("Political group", "political_group"),
        ("National party", "national_party"),
        ("Full name", "full_name"),
        ("Last name, First name", "full_name"),
        ("Nachname", "family_name"),
        ("Vorname", "given_name"),
        ("Land", "country"),
        ("Pays", "country"),
        ("Fraktion", "political_group"),
        ("Groupe politique", "political_group"),
        ("Délégation", "delegation"),
        ("Committees", "committees"),
        ("Tel.", "phone"),
        ("GSM", "mobile"),
        ("Handy", "mobile"),
        # more languages of the Council of Europe
        ("Cognome", "family_name"),
        ("Correo electrónico", "email"),
        ("Nazwisko", "family_name"),
        ("Příjmení", "family_name"),
        ("Achternaam", "family_name"),
        ("Telemóvel", "mobile"),
        ("Prenume", "given_name"),
        ("Vezetéknév", "family_name"),
        ("Прізвище", "family_name"),
        ("По батькові", "patronymic"),
        ("Soyadı", "family_name"),
        ("Επώνυμο", "family_name"),
        ("Пощенски код", "postcode"),
        ("Priimek", "family_name"),
        ("Sukunimi", "family_name"),
        ("ФИО", "full_name"),
        ("Ф.И.О.", "full_name"),
        ("Ім'я", "given_name"),
        ("Електронна пошта", "email"),
        ("Ülke", "country"),
        ("Stanowisko", "role_title"),
        ("Politická strana", "national_party"),
        # spelling, punctuation, markers and numbering do not matter
        ("EMAIL", "email"),
        ("e_mail", "email"),
        ("E-Mail-Adresse (optional)", "email"),
        ("Email*", "email"),
        ("1. Surname", "family_name"),
        ("Tél. portable", "mobile"),
        ("Телефон:", "phone"),
        ("Name (Cyrillic)", "native_name"),
        # the European Parliament's XML tags
        ("fullName", "full_name"),
        ("politicalGroup", "political_group"),
        ("nationalPoliticalGroup", "national_party"),
        # this product's own export labels
        *((field.label, field.key) for field in FIELDS if field.key != "id"),
    ],
)
def test_labels_map_to_fields(label, key):
    assert fields_of(label) == [key]


def test_each_column_says_why():
    mapping = auto_map(["Courriel", "Телефон", "Country", "E-mail address (optional)"])
    assert column(mapping, 0).why == "French label for “Email”"
    assert column(mapping, 1).why.startswith("Russian, Ukrainian, Bulgarian") and column(mapping, 1).field == "phone"
    assert column(mapping, 2).why == "this product's own label for “Country”"
    assert [column.confidence for column in mapping.columns] == [1.0, 1.0, 1.0, 1.0]
    assert column(mapping, 3).why == "a second “Email” column (column A is the first): “Other emails”"


def test_qualifying_words_and_longer_labels_map_with_less_confidence():
    mapping = auto_map(["Work phone", "MEP's political group", "Name of the organisation", "Рабочий телефон"])
    assert [column.field for column in mapping.columns] == ["phone", "political_group", "organisation", "phone"]
    assert column(mapping, 1).confidence == 0.8 and "MEP" in column(mapping, 1).why
    assert column(mapping, 2).confidence == 0.6 and "contains" in column(mapping, 2).why
    assert "Рабочий" in column(mapping, 3).why


def test_unknown_and_empty_labels_are_ignored_with_a_reason():
    mapping = auto_map(["Date of birth", "", "No.", "###", "Full name"])
    assert [column.field for column in mapping.columns] == [None, None, None, None, "full_name"]
    assert [column.why for column in mapping.columns[:4]] == [
        "not a field this product keeps",
        "no header label",
        "numbers the rows",
        "no words in the header",
    ]
    assert mapping.has_name


# --- Labels that depend on their neighbours ---------------------------------------------------


def test_a_bare_name_is_the_surname_beside_a_first_name_and_the_first_name_beside_a_surname():
    assert fields_of("Nom", "Prénom") == ["family_name", "given_name"]
    assert fields_of("Name", "Vorname") == ["family_name", "given_name"]
    assert fields_of("Nome", "Cognome") == ["given_name", "family_name"]
    assert fields_of("Name", "Email") == ["full_name", "email"]
    assert "beside a first-name column" in column(auto_map(["Nom", "Prénom"]), 0).why


def test_bulgarian_prezime_is_the_patronymic_beside_a_surname_and_the_surname_alone():
    assert fields_of("Име", "Презиме", "Фамилия") == ["given_name", "patronymic", "family_name"]
    assert fields_of("Ime", "Prezime") == ["given_name", "family_name"]


def test_a_second_email_becomes_other_emails_and_a_clearer_column_wins():
    assert fields_of("Email", "E-mail (2)", "Private email") == ["email", "email_other", "email_other"]
    # "Work email" is recognised with less confidence than "Email", so "Email" is the primary one
    mapping = auto_map(["Work email", "Email"])
    assert [column.field for column in mapping.columns] == ["email_other", "email"]
    assert column(mapping, 0).why == "a second “Email” column (column B is the first): “Other emails”"


def test_a_second_column_for_a_single_field_is_ignored_with_the_reason():
    mapping = auto_map(["Country", "Pays", "Name", "Full name"])
    assert [column.field for column in mapping.columns] == ["country", None, None, "full_name"]
    assert column(mapping, 1).why == "a second “Country” column; column A (“Country”) is used"
    assert column(mapping, 2).why == "a second “Full name” column; column D (“Full name”) is used"


def test_several_phone_columns_are_kept_and_joined():
    mapping = auto_map(["Name", "Phone", "Tel 2", "Notes", "Comments", "Address line 1", "Address line 2"])
    assert [column.field for column in mapping.columns] == [
        *("full_name", "phone", "phone", "notes", "notes", "street", "street")
    ]
    values = apply_mapping(["Anna", "+32 2 000", None, "first", "second", "Rue Wiertz 60", "B-1047"], mapping)
    assert values == {
        "full_name": "Anna",
        "phone": "+32 2 000",
        "notes": "first\nsecond",
        "street": "Rue Wiertz 60, B-1047",
    }


def test_a_bare_id_updates_people_only_in_this_products_own_export():
    foreign = auto_map(["ID", "Name", "Email", "Phone", "Country"])
    assert column(foreign, 0).field == "external_id" and column(foreign, 0).confidence == 0.5
    own = auto_map([field.label for field in FIELDS])
    assert column(own, 0).field == "id"


def test_labels_a_preset_knows_win_and_the_rest_are_guessed():
    known = {fold_label("Surname"): "family_name", fold_label("Ref"): None, fold_label("Group"): "delegation"}
    mapping = auto_map(["SURNAME", "Ref", "Group", "E-mail"], known=known, known_why="from the preset “X”")
    assert [column.field for column in mapping.columns] == ["family_name", None, "delegation", "email"]
    assert [column.why for column in mapping.columns[:2]] == ["from the preset “X”", "ignored by the preset"]


# --- Applying a mapping to rows ---------------------------------------------------------------


def test_apply_mapping_gives_every_mapped_field_even_past_the_end_of_a_short_row():
    mapping = auto_map(["Name", "Date of birth", "Email", "Born", "Member since"])
    assert apply_mapping(["Anna", "x", "anna@example.org"], mapping) == {
        "full_name": "Anna",
        "email": "anna@example.org",
        "role_start": None,
    }
    started = dt.date(2019, 7, 2)
    assert apply_mapping(["Anna", None, None, None, started], mapping)["role_start"] is started  # values as read


def test_the_wizard_can_change_a_column_and_keep_the_mapping_between_requests():
    mapping = auto_map(["Name", "Group", "Date of birth"])
    edited = mapping.with_field(1, "delegation").with_field(2, None).with_field(0, "native_name")
    assert edited.fields == {0: "native_name", 1: "delegation", 2: None}
    assert column(edited, 1).why == "chosen by you" and column(edited, 1).confidence == 1.0
    assert apply_mapping(["Джакишев", "KZ"], edited) == {"native_name": "Джакишев", "delegation": "KZ"}
    assert Mapping.from_dicts(edited.as_dicts()) == edited
    assert edited.column_map() == {"Name": "native_name", "Group": "delegation", "Date of birth": None}
    with pytest.raises(ValueError):
        mapping.with_field(0, "birthday")
    with pytest.raises(IndexError):
        mapping.with_field(9, "email")


def test_a_mapping_knows_whether_it_has_a_name_column():
    assert not auto_map(["Email", "Country"]).has_name
    assert auto_map(["Фамилия", "Email"]).has_name


def test_column_letters():
    assert [column_letter(index) for index in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# --- The synonyms table ---------------------------------------------------------------------


def test_the_table_covers_every_field_and_the_languages_asked_for():
    table = synonym_table()
    keys = {synonym.key for synonym in table.exact.values()}
    assert set(BY_KEY) <= keys
    used = {code for synonym in table.exact.values() for codes in synonym.spellings.values() for code in codes}
    assert {"en", "fr", "de", "ru", "it", "es", "pl", "cs", "nl", "pt", "ro", "hu", "uk", "tr"} <= used
    assert used - {""} == set(table.languages)  # every language listed is used, and only those


def test_a_label_claimed_by_two_fields_is_refused_when_the_table_loads(tmp_path):
    text = SYNONYMS_PATH.read_text(encoding="utf-8").replace("    ru: [Город,", "    ru: [Фамилия, Город,", 1)
    broken = tmp_path / "synonyms.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="is a label for both family_name and city"):
        load_synonyms(broken)


def test_a_language_listed_twice_for_a_field_is_refused_rather_than_half_read(tmp_path):
    text = SYNONYMS_PATH.read_text(encoding="utf-8").replace("    ru: [Город,", "    ru: [Город]\n    ru: [Город,", 1)
    broken = tmp_path / "synonyms.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="ru appears twice"):
        load_synonyms(broken)
