"""A person known only by a Cyrillic name gets the Latin form in the name fields (the
transliteration the search uses), the Cyrillic kept as the name in native script: lists sort and
letters read in Latin. The Latin form can be corrected; an import and old rows behave the same."""

import pytest
from sqlalchemy import create_engine, select, text

from crm.contacts.data import PersonData
from crm.contacts.latin_names import latin_form
from crm.contacts.models import Person
from crm.contacts.people import update_person
from crm.contacts.search import PeopleFilter, search_people
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.salutations.service import person_fields
from tests.factories import make_person
from tests.imports.test_pipeline import workbook
from tests.test_setup import _flask, empty_database  # noqa: F401 (a fixture)
from tests.web import form_with


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        (("Мухтар", "", "Джакишев", ""), ("Mukhtar", "", "Dzhakishev", "Мухтар Джакишев")),
        (("Ольга", "Юрьевна", "Щербакова", ""), ("Olga", "Yurevna", "Shcherbakova", "Ольга Юрьевна Щербакова")),
        (("Мухтар", "", "Джакишев", "Джакишев Мухтар"), ("Mukhtar", "", "Dzhakishev", "Джакишев Мухтар")),
        (("", "", "", "Джакишев Мухтар"), ("", "", "", "Джакишев Мухтар")),  # which word is which?
        (("Mukhtar", "", "Dzhakishev", "Мухтар Джакишев"), ("Mukhtar", "", "Dzhakishev", "Мухтар Джакишев")),
        (("Mukhtar", "", "Джакишев", ""), ("Mukhtar", "", "Джакишев", "")),  # some Latin: as typed
        (("Tomáš", "", "Zdechovský", ""), ("Tomáš", "", "Zdechovský", "")),
        (("", "", "Ἀριστοτέλης", ""), ("", "", "Ἀριστοτέλης", "")),  # Cyrillic only, as the issue asks
    ],
)
def test_the_latin_form_of_a_name(typed, saved):
    assert latin_form(*typed) == saved


def test_a_cyrillic_name_is_saved_with_its_latin_form(app):
    person = make_person("Джакишев", "Мухтар", patronymic="Абишевич", country="KZ")
    assert (person.given_name, person.patronymic, person.family_name) == ("Mukhtar", "Abishevich", "Dzhakishev")
    assert person.display_name == "Mukhtar Abishevich Dzhakishev"
    assert person.other_script_name == "Мухтар Абишевич Джакишев"
    assert person.sort_key == "dzhakishev mukhtar abishevich"
    for query in ("Джакишев", "dzhakishev", "Djakishev", "mukhtar"):
        assert [p.id for p in search_people(PeopleFilter(q=query)).items] == [person.id], query
    assert person_fields(person)["family_name"] == "Dzhakishev"  # letters and greetings
    assert person_fields(person)["full_name"] == "Mukhtar Abishevich Dzhakishev"


def test_the_latin_form_can_be_corrected(app):
    person = make_person("Джакишев", "Мухтар")
    data = PersonData(family_name="Jakishev", given_name="Mukhtar", native_name="Мухтар Джакишев")
    update_person(person, data, actor=None, expected_version=person.version)
    db.session.commit()
    assert (person.family_name, person.native_name) == ("Jakishev", "Мухтар Джакишев")
    assert [p.id for p in search_people(PeopleFilter(q="jakishev")).items] == [person.id]


def test_the_person_form_shows_the_latin_form_to_edit(client, auth):
    auth.login("editor")
    page = client.get("/contacts/people/new").get_data(as_text=True)
    form = form_with(page, "family_name", "given_name")
    created = client.post(
        "/contacts/people/new", data=form.data(family_name="Туменова", given_name="Бахыт", country="KZ")
    )
    assert created.status_code == 302
    person = db.session.scalar(select(Person))
    assert (person.given_name, person.family_name, person.native_name) == ("Bakhyt", "Tumenova", "Бахыт Туменова")
    edit = form_with(client.get(f"/contacts/people/{person.id}/edit").get_data(as_text=True), "family_name")
    assert ("family_name", "Tumenova") in edit.fields and ("native_name", "Бахыт Туменова") in edit.fields
    assert client.post(f"/contacts/people/{person.id}/edit", data=edit.data(given_name="Bakhit")).status_code == 302
    db.session.refresh(person)
    assert (person.given_name, person.family_name) == ("Bakhit", "Tumenova")


def test_lists_sort_and_read_in_latin(client, auth):
    make_person("Zdechovský", "Tomáš")
    make_person("Ярошенко", "Ольга")
    make_person("Ward", "Julie")
    make_person("Абрамов", "Игорь")
    assert [p.family_name for p in search_people(PeopleFilter()).items] == [
        "Abramov",
        "Ward",
        "Yaroshenko",
        "Zdechovský",
    ]
    auth.login("viewer")
    page = client.get("/contacts/people").get_data(as_text=True)
    assert page.index("Abramov, Igor") < page.index("Ward, Julie") < page.index("Yaroshenko, Olga")
    assert "Ярошенко" in page  # the Cyrillic under the Latin


def test_an_imported_cyrillic_name_gets_its_latin_form(app, tmp_path):
    path = workbook(
        tmp_path,
        [["Джакишев", "Мухтар", "", "Kazakhstan", "", "", ""]],
    )
    result = run_import(path, ImportOptions(), actor=None)
    assert result.counts["created"] == 1
    person = db.session.scalar(select(Person))
    assert (person.given_name, person.family_name, person.native_name) == ("Mukhtar", "Dzhakishev", "Мухтар Джакишев")
    assert person.sort_key == "dzhakishev mukhtar"
    assert [p.id for p in search_people(PeopleFilter(q="Джакишев")).items] == [person.id]


def test_the_migration_gives_existing_people_their_latin_form(empty_database, tmp_path):  # noqa: F811
    assert _flask("db", "upgrade", "0019_undelivered", url=empty_database, tmp_path=tmp_path).returncode == 0
    engine = create_engine(empty_database)
    insert = (
        "INSERT INTO person (version, honorific, given_name, family_name, patronymic, native_name, languages, notes,"
        " source, lawful_basis, do_not_contact, created_at, updated_at, archived, search_text, sort_key) VALUES"
        " (1, '', :given, :family, '', :native, '', '', '', 'public_task', false, '2026-01-01', '2026-01-01', false,"
        " :search, :sort)"
    )
    with engine.begin() as connection:
        connection.execute(
            text(insert),
            [
                {"given": "Ольга", "family": "Ярошенко", "native": "", "search": " olga ol ga yaroshenko x@y.org ",
                 "sort": "yaroshenko ol ga"},
                {"given": "Tomáš", "family": "Zdechovský", "native": "", "search": " tomas zdechovsky ",
                 "sort": "zdechovsky tomas"},
            ],
        )  # fmt: skip
    upgrade = _flask("db", "upgrade", url=empty_database, tmp_path=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT given_name, family_name, native_name, version, search_text, sort_key FROM person ORDER BY id")
        ).all()
    engine.dispose()
    assert rows[0][:4] == ("Olga", "Yaroshenko", "Ольга Ярошенко", 2)
    assert " x@y.org " in rows[0][4] and rows[0][5] == "yaroshenko olga"
    assert rows[1] == ("Tomáš", "Zdechovský", "", 1, " tomas zdechovsky ", "zdechovsky tomas")
