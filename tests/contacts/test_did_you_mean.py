"""A people search that finds nothing offers the people it may have meant, on the list and in
the type-ahead; names are user data, so they are escaped."""

from tests.factories import make_person


def test_the_list_offers_who_a_misspelt_search_may_mean(client, auth):
    zdechovsky = make_person("Zdechovský", "Tomáš", country="CZ")
    make_person("Novák", "Jan")
    auth.login("viewer")
    page = client.get("/contacts/people?q=Zdechovksy").get_data(as_text=True)
    assert "No people match." in page
    assert "Did you mean" in page
    assert f'<a href="/contacts/people/{zdechovsky.id}">Tomáš Zdechovský</a>?' in page
    assert "Novák" not in page


def test_a_search_that_finds_people_offers_nothing_else(client, auth):
    make_person("Zdechovský", "Tomáš")
    auth.login("viewer")
    # The sound-alike fold finds him as typed without the accent: no guess is needed.
    page = client.get("/contacts/people?q=Zdechovski").get_data(as_text=True)
    assert "Did you mean" not in page and "Zdechovský" in page
    assert "Did you mean" not in client.get("/contacts/people?q=qwxzv").get_data(as_text=True)


def test_several_guesses_read_as_a_sentence(client, auth):
    for given in ("Jan", "Petr", "Pavel"):
        make_person("Novák", given)
    auth.login("viewer")
    page = client.get("/contacts/people?q=Novka").get_data(as_text=True)
    assert ">Jan Novák</a>, <a" in page and ">Pavel Novák</a> or <a" in page and ">Petr Novák</a>?" in page


def test_suggested_names_are_escaped(client, auth):
    make_person("Mogherini", "Federica <i>")
    auth.login("viewer")
    page = client.get("/contacts/people?q=mogehrini").get_data(as_text=True)
    assert "Did you mean" in page
    assert "Federica &lt;i&gt; Mogherini</a>" in page and "<i> Mogherini" not in page


def test_the_type_ahead_marks_its_guesses(client, auth):
    mogherini = make_person("Mogherini", "Federica")
    auth.login("viewer")
    found = client.get("/contacts/people/lookup?q=mogeri").get_json()
    assert [(p["label"], p["suggested"]) for p in found] == [("Federica Mogherini", False)]
    guessed = client.get("/contacts/people/lookup?q=mogehrini").get_json()
    assert guessed == [
        {
            "id": mogherini.id,
            "label": "Federica Mogherini",
            "detail": "",
            "url": f"/contacts/people/{mogherini.id}",
            "suggested": True,
        }
    ]
    assert client.get("/contacts/people/lookup?q=qwxzv").get_json() == []
