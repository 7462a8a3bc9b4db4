"""A labelled set of name variants, built from the real people in the two seed documents on the
Dzhakishev case (as crm/demo/people.py records them).

PEOPLE are the records as the database holds them. SAME pairs a stored person with the way an
import row or a colleague might write them: Cyrillic, other transliterations (English, French,
German, Kazakh), diacritics dropped, the European Parliament's "FAMILY Given", a patronymic or
middle name added or missing, short forms, typos, an email with or without a name. DIFFERENT
pairs a stored person with someone else: real relatives and politicians with a similar name
(Andres Tarand, Altiero Spinelli, Dariga Nazarbayeva ...), and namesakes in another country
and organisation; pairs marked "constructed" are invented near-misses.
"""

from __future__ import annotations

from crm.duplicates.score import Identity

EP = "European Parliament"


def name(given: str, family: str, **fields) -> Identity:
    return Identity(given_name=given, family_name=family, **fields)


def full(text: str, **fields) -> Identity:
    """A name in one cell, order unknown ("DZHAKISHEV Mukhtar", "Toregozhina, Bakhytzhan")."""
    return Identity(full_name=text, **fields)


def native(text: str, **fields) -> Identity:
    return Identity(native_name=text, **fields)


PEOPLE: dict[str, Identity] = {
    "dzhakishev": name(
        "Mukhtar", "Dzhakishev", native_name="Мухтар Джакишев", country="KZ", organisations=("Kazatomprom",)
    ),
    "tumenova": name("Bakhyt", "Tumenova", native_name="Бахыт Туменова", country="KZ", organisations=("Aman-Saulik",)),
    "toregozhina": name("Bakhytzhan", "Toregozhina", native_name="Бахытжан Торегожина", country="KZ"),
    "ablyazov": name("Mukhtar", "Ablyazov", native_name="Мухтар Аблязов", country="KZ"),
    "nazarbayev": name(
        "Nursultan",
        "Nazarbayev",
        patronymic="Abishevich",
        native_name="Нурсултан Назарбаев",
        country="KZ",
        organisations=("President of the Republic of Kazakhstan",),
    ),
    "mogherini": name("Federica", "Mogherini", country="IT", organisations=("European Commission",)),
    "behrendt": name("Marc", "Behrendt", organisations=("Freedom House",)),
    "savchenko": name(
        "Igor", "Savchenko", emails=("igor.savchenko@odfoundation.eu",), organisations=("Open Dialog Foundation", "ODF")
    ),
    "kozlovska": name(
        "Lyudmyla",
        "Kozlovska",
        native_name="Людмила Козловська",
        country="UA",
        emails=("lyudmylakozlovska@odfoundation.eu",),
        organisations=("Open Dialog Foundation", "ODF"),
    ),
    "benifei": name("Brando", "Benifei", country="IT", organisations=(EP, "S&D", "Partito Democratico", "PD")),
    "delvaux": name("Mady", "Delvaux-Stehres", country="LU", organisations=(EP, "S&D", "LSAP")),
    "gomes": name("Ana", "Gomes", country="PT", organisations=(EP, "S&D", "Partido Socialista", "PS")),
    "zdechovsky": name("Tomáš", "Zdechovský", country="CZ", organisations=(EP, "EPP", "KDU-ČSL")),
    "kelam": name("Tunne", "Kelam", country="EE", organisations=(EP, "EPP", "Isamaa")),
    "paet": name("Urmas", "Paet", country="EE", organisations=(EP, "ALDE", "Eesti Reformierakond")),
    "panzeri": name("Pier Antonio", "Panzeri", country="IT", organisations=(EP, "S&D")),
    "sanchez": name("Lola", "Sánchez Caldentey", country="ES", organisations=(EP, "GUE/NGL", "Podemos")),
    "scholz": name("Helmut", "Scholz", country="DE", organisations=(EP, "GUE/NGL", "Die Linke")),
    "soltes": name("Igor", "Šoltes", country="SI", organisations=(EP, "Greens/EFA", "Verjamem")),
    "spinelli": name("Barbara", "Spinelli", country="IT", organisations=(EP, "GUE/NGL")),
    "stetina": name("Jaromír", "Štětina", country="CZ", organisations=(EP, "EPP", "TOP 09")),
    "staes": name("Bart", "Staes", country="BE", organisations=(EP, "Greens/EFA", "Groen")),
    "tarand": name("Indrek", "Tarand", country="EE", organisations=(EP, "Greens/EFA")),
    "vautmans": name("Hilde", "Vautmans", country="BE", organisations=(EP, "ALDE", "Open Vld")),
    "ward": name("Julie", "Ward", country="GB", organisations=(EP, "S&D", "Labour Party")),
    "ujazdowski": name("Kazimierz Michał", "Ujazdowski", country="PL", organisations=(EP, "ECR", "PiS")),
}

SAME: list[tuple[str, Identity, str]] = [
    # Mukhtar Dzhakishev
    ("dzhakishev", native("Мухтар Джакишев", country="KZ"), "Cyrillic"),
    ("dzhakishev", native("Мухтар Джакишев"), "Cyrillic, nothing else"),
    ("dzhakishev", name("Mukhtar", "Djakishev"), "French-style dj"),
    ("dzhakishev", name("Moukhtar", "Djakichev", country="KZ"), "French transliteration"),
    ("dzhakishev", name("Muchtar", "Dschakischew"), "German transliteration"),
    ("dzhakishev", name("Mukhtar", "Jakishev"), "English j"),
    ("dzhakishev", name("Mukhtar", "Zhakishev", country="KZ"), "Kazakh-style zh"),
    ("dzhakishev", name("Muhtar", "Dzhakishev"), "h for kh"),
    ("dzhakishev", full("DZHAKISHEV Mukhtar"), "FAMILY Given in one cell"),
    ("dzhakishev", name("Dzhakishev", "Mukhtar", country="KZ"), "given and family swapped"),
    ("dzhakishev", name("Mukhtar", "Dzhakishv"), "typo"),
    ("dzhakishev", name("M.", "Dzhakishev", country="KZ", organisations=("Kazatomprom",)), "initial"),
    ("dzhakishev", name("Mukhtar", "Dzhakishev", organisations=("Kazatomprom",)), "exact, organisation"),
    # Bakhyt Tumenova
    ("tumenova", native("Бахыт Туменова"), "Cyrillic"),
    ("tumenova", name("Bakhyt", "Toumenova"), "French ou"),
    ("tumenova", name("Bahyt", "Tumenova", country="KZ"), "h for kh"),
    ("tumenova", name("Bakyt", "Tumenova", country="KZ"), "Kazakh k"),
    ("tumenova", full("TUMENOVA Bakhyt"), "FAMILY Given"),
    ("tumenova", name("Tumenova", "Bakhyt"), "swapped"),
    ("tumenova", name("Bakhyt", "Tumenova", organisations=("Aman-Saulik",), country="KZ"), "exact"),
    ("tumenova", name("Bakhyt", "Tumenva"), "typo"),
    # Bakhytzhan Toregozhina
    ("toregozhina", native("Бахытжан Торегожина", country="KZ"), "Cyrillic"),
    ("toregozhina", name("Bakhytzhan", "Toregojina"), "French j"),
    ("toregozhina", name("Bakhytjan", "Toregozhina"), "j for zh"),
    ("toregozhina", name("Bakytzhan", "Toregozhina", country="KZ"), "Kazakh k"),
    ("toregozhina", name("Bakhytzhan", "Töregozhina"), "Kazakh ö"),
    ("toregozhina", full("Toregozhina, Bakhytzhan"), "Family, Given"),
    ("toregozhina", name("Bakhytzhan", "Toregozina"), "typo"),
    ("toregozhina", native("Торегожина Бахытжан"), "Cyrillic, family first"),
    # Mukhtar Ablyazov
    ("ablyazov", native("Мухтар Аблязов"), "Cyrillic"),
    ("ablyazov", name("Moukhtar", "Abliazov"), "French"),
    ("ablyazov", name("Muchtar", "Abljasow", country="KZ"), "German"),
    ("ablyazov", name("Mukhtar", "Ablyazov", patronymic="Kabulovich"), "with patronymic"),
    ("ablyazov", native("Мухтар Кабулович Аблязов"), "Cyrillic with patronymic"),
    ("ablyazov", full("ABLYAZOV Mukhtar"), "FAMILY Given"),
    ("ablyazov", name("Mukhtar", "Abliazov", country="KZ"), "ia for ya"),
    # Nursultan Nazarbayev
    ("nazarbayev", name("Nursultan", "Nazarbaev"), "without y"),
    ("nazarbayev", name("Nursultan", "Nasarbajew", country="KZ"), "German"),
    ("nazarbayev", name("Noursoultan", "Nazarbaïev"), "French"),
    ("nazarbayev", native("Нурсултан Абишевич Назарбаев"), "Cyrillic with patronymic"),
    ("nazarbayev", native("Назарбаев Нурсултан Абишевич"), "Cyrillic, formal order"),
    ("nazarbayev", name("Nursultan", "Nazarbayev", country="KZ"), "without patronymic"),
    ("nazarbayev", full("NAZARBAYEV Nursultan"), "FAMILY Given"),
    # Federica Mogherini
    ("mogherini", name("Federica", "Mogerini"), "misspelt as in the report"),
    ("mogherini", full("MOGHERINI Federica"), "FAMILY Given"),
    ("mogherini", name("Federica", "Mogherini", country="IT", organisations=("European Commission",)), "exact"),
    ("mogherini", name("F.", "Mogherini", organisations=("European Commission",)), "initial"),
    # Marc Behrendt
    ("behrendt", name("Mark", "Behrendt"), "k for c"),
    ("behrendt", name("Marc", "Berendt", organisations=("Freedom House",)), "typo, organisation"),
    ("behrendt", name("Marc", "Behrendt", country="US", organisations=("Freedom House",)), "exact"),
    ("behrendt", full("BEHRENDT Marc"), "FAMILY Given"),
    ("behrendt", name("Marc", "Behrend"), "typo"),
    # Igor Savchenko
    ("savchenko", Identity(emails=("igor.savchenko@odfoundation.eu",)), "email only"),
    ("savchenko", name("Ihor", "Savchenko"), "Ukrainian"),
    ("savchenko", name("Igor", "Sawtschenko"), "German"),
    ("savchenko", native("Игорь Савченко"), "Cyrillic"),
    ("savchenko", name("Igor", "Savtchenko"), "French"),
    ("savchenko", name("I.", "Savchenko", emails=("Igor.Savchenko@odfoundation.eu",)), "email, initial"),
    ("savchenko", name("Igor", "Savchenko", organisations=("Open Dialog Foundation",)), "exact"),
    # Lyudmyla Kozlovska
    ("kozlovska", name("Lyudmila", "Kozlovskaya"), "Russian form"),
    ("kozlovska", name("Ludmiła", "Kozłowska", country="UA"), "Polish form"),
    ("kozlovska", name("Liudmyla", "Kozlovska"), "Ukrainian passport spelling"),
    ("kozlovska", native("Людмила Козловская"), "Russian Cyrillic"),
    ("kozlovska", Identity(emails=("lyudmylakozlovska@odfoundation.eu",)), "email only"),
    ("kozlovska", name("Ludmila", "Kozlovska", emails=("lyudmylakozlovska@odfoundation.eu",)), "email"),
    ("kozlovska", full("KOZLOVSKA Lyudmyla"), "FAMILY Given"),
    ("kozlovska", name("Lyudmyla", "Kozlovska", organisations=("ODF",)), "exact, short organisation name"),
    # The 17 MEPs
    ("benifei", full("BENIFEI Brando", organisations=(EP,)), "EP list"),
    ("benifei", name("Brando", "Benefei", country="IT"), "typo"),
    ("benifei", name("Brando", "Benifei", country="IT", organisations=(EP, "S&D")), "exact"),
    ("delvaux", name("Mady", "Delvaux", country="LU"), "as the EP lists her"),
    ("delvaux", full("DELVAUX Mady", organisations=(EP,)), "EP list"),
    ("delvaux", name("Mady", "Delvaux Stehres"), "no hyphen"),
    ("delvaux", name("Mady", "Delvaux-Stehres", country="LU"), "exact"),
    ("gomes", name("Ana Maria", "Gomes", country="PT"), "with middle name"),
    ("gomes", full("GOMES Ana", organisations=(EP,)), "EP list"),
    ("gomes", name("Ana", "Gomes", country="PT", organisations=(EP,)), "exact"),
    ("zdechovsky", name("Tomas", "Zdechovsky"), "no diacritics"),
    ("zdechovsky", full("ZDECHOVSKÝ Tomáš"), "EP list"),
    ("zdechovsky", name("Tomas", "Zdechovski"), "i for y"),
    ("zdechovsky", name("T.", "Zdechovský", country="CZ", organisations=("EPP",)), "initial"),
    ("kelam", name("Tunne-Väldo", "Kelam", country="EE"), "full given name"),
    ("kelam", full("KELAM Tunne", organisations=(EP,)), "EP list"),
    ("kelam", name("Tunne", "Kelam", country="EE"), "exact"),
    ("paet", full("PAET Urmas", organisations=(EP,)), "EP list"),
    ("paet", name("Urmas", "Paet", country="EE", organisations=("ALDE",)), "exact"),
    ("paet", name("Urmas", "Peat", country="EE"), "transposed letters"),
    ("panzeri", name("Pierantonio", "Panzeri"), "given names joined"),
    ("panzeri", name("Antonio", "Panzeri", country="IT"), "second given name only"),
    ("panzeri", full("PANZERI Pier Antonio", organisations=(EP,)), "EP list"),
    ("panzeri", name("Pier Antonio", "Panzeri", country="IT"), "exact"),
    ("sanchez", name("Lola", "Sanchez Caldentey"), "no diacritics, as in the report"),
    ("sanchez", name("María Dolores", "Sánchez Caldentey", country="ES"), "official given names"),
    ("sanchez", full("SÁNCHEZ CALDENTEY Lola", organisations=(EP,)), "EP list"),
    ("sanchez", name("Lola", "Sánchez", country="ES"), "first surname only"),
    ("sanchez", name("Lola", "Sánchez-Caldentey"), "hyphenated"),
    ("scholz", full("SCHOLZ Helmut", organisations=(EP,)), "EP list"),
    ("scholz", name("Helmut", "Scholz", country="DE", organisations=("Die Linke",)), "exact"),
    ("scholz", name("Helmut", "Sholz", country="DE"), "typo"),
    ("soltes", name("Igor", "Soltes"), "no diacritics, as in the report"),
    ("soltes", full("ŠOLTES Igor", organisations=(EP,)), "EP list"),
    ("soltes", name("Igor", "Šoltes", country="SI"), "exact"),
    ("soltes", native("Игор Шолтес"), "Cyrillic (Serbian/Macedonian press)"),
    ("spinelli", full("SPINELLI Barbara", organisations=(EP,)), "EP list"),
    ("spinelli", name("Barbara", "Spineli", country="IT"), "typo"),
    ("spinelli", name("Barbara", "Spinelli", country="IT"), "exact"),
    ("stetina", name("Jaromir", "Stetina"), "no diacritics, as in the report"),
    ("stetina", full("ŠTĚTINA Jaromír", organisations=(EP,)), "EP list"),
    ("stetina", name("Jaromír", "Štětina", country="CZ"), "exact"),
    ("stetina", name("Jaromir", "Shtetina"), "sh for š"),
    ("staes", full("STAES Bart", organisations=(EP,)), "EP list"),
    ("staes", name("Bart", "Staes", country="BE", organisations=("Groen",)), "exact"),
    ("tarand", full("TARAND Indrek", organisations=(EP,)), "EP list"),
    ("tarand", name("Indrek", "Tarand", country="EE"), "exact"),
    ("vautmans", full("VAUTMANS Hilde", organisations=(EP,)), "EP list"),
    ("vautmans", name("Hilde", "Vautmanns"), "doubled letter"),
    ("vautmans", name("Hilde", "Vautmans", country="BE", organisations=("Open Vld",)), "exact"),
    ("ward", full("WARD Julie", organisations=(EP,)), "EP list"),
    ("ward", name("Julie", "Ward", country="GB", organisations=("Labour Party",)), "exact"),
    ("ujazdowski", name("Kazimierz", "Ujazdowski", country="PL"), "without middle name"),
    ("ujazdowski", name("Kazimierz Michal", "Ujazdowski"), "no diacritics"),
    ("ujazdowski", full("UJAZDOWSKI Kazimierz Michał", organisations=(EP,)), "EP list"),
    ("ujazdowski", name("Kazimierz M.", "Ujazdowski"), "middle initial"),
    ("ujazdowski", name("Michał", "Ujazdowski", country="PL"), "goes by the middle name"),
    # Written after the rules were tuned on the pairs above, and kept whatever they scored.
    ("dzhakishev", name("Mukhtar", "Djakichev"), "French, nothing else"),
    ("dzhakishev", full("Mukhtar Dzhakishev"), "full name, natural order"),
    ("dzhakishev", name("Mukhtar", "Jakishev", organisations=("KazAtomProm",)), "organisation spelt otherwise"),
    ("toregozhina", name("B.", "Toregozhina", country="KZ"), "initial"),
    ("ablyazov", name("Mukhtar", "Ablyazov", country="FR"), "the country he lives in"),
    ("nazarbayev", name("N.", "Nazarbayev", country="KZ"), "initial"),
    ("mogherini", full("Federica Mogherini"), "full name"),
    ("behrendt", name("Marc", "Behrendt", emails=("mbehrendt@freedomhouse.org",)), "with a new email"),
    ("savchenko", name("Igor", "Savchenko", country="UA"), "country added"),
    ("kozlovska", name("Lyudmyla", "Kozlovska", country="PL"), "the country she works in"),
    ("zdechovsky", name("Tomas", "Zdechovsky", emails=("tomas.zdechovsky@europarl.europa.eu",)), "with a new email"),
    ("ujazdowski", name("Kazimierz Michał", "Ujazdowski", country="PL", organisations=("Porozumienie",)), "new party"),
    ("stetina", name("Jaromír", "Štětina", organisations=("TOP 09",)), "party only"),
    ("gomes", name("Ana", "Gomez"), "Spanish z"),
    ("scholz", name("Helmut", "Scholtz"), "tz"),
    ("kelam", name("Tunne", "Kelam", emails=("tunne.kelam@europarl.europa.eu",)), "with a new email"),
    ("tarand", native("Индрек Таранд"), "Cyrillic (Russian press)"),
]

DIFFERENT: list[tuple[str, Identity, str]] = [
    ("dzhakishev", name("Mukhtar", "Ablyazov", country="KZ"), "same given name"),
    ("dzhakishev", native("Мухтар Аблязов"), "same given name, Cyrillic"),
    ("dzhakishev", name("Galiya", "Dzhakisheva", country="KZ"), "constructed: a relative"),
    ("dzhakishev", name("Iskander", "Yerimbetov", country="KZ"), "another political prisoner in the report"),
    ("tumenova", name("Bakhytzhan", "Toregozhina", country="KZ"), "similar given name"),
    ("tumenova", native("Бахытжан Торегожина"), "similar given name, Cyrillic"),
    ("tumenova", name("Bakhyt", "Tumenov", country="KZ"), "constructed: the masculine form"),
    ("toregozhina", name("Bakhyt", "Tumenova", country="KZ", organisations=("Aman-Saulik",)), "similar given name"),
    ("ablyazov", name("Madina", "Ablyazova", country="KZ"), "his daughter"),
    ("ablyazov", name("Mukhtar", "Dzhakishev", country="KZ"), "same given name"),
    ("nazarbayev", name("Dariga", "Nazarbayeva", country="KZ"), "his daughter"),
    ("nazarbayev", native("Дарига Назарбаева"), "his daughter, Cyrillic"),
    ("mogherini", name("Federico", "Mogherini", country="IT"), "constructed: masculine given name"),
    ("savchenko", name("Nadiya", "Savchenko", country="UA"), "Ukrainian politician"),
    ("savchenko", name("Igor", "Šoltes", country="SI", organisations=(EP,)), "same given name"),
    ("savchenko", name("Lyudmyla", "Kozlovska", emails=("lyudmylakozlovska@odfoundation.eu",)), "colleague"),
    ("kozlovska", name("Igor", "Savchenko", emails=("igor.savchenko@odfoundation.eu",)), "colleague"),
    ("kozlovska", name("Lyudmyla", "Kozlovskyi"), "constructed: the masculine form"),
    ("tarand", name("Andres", "Tarand", country="EE", organisations=(EP, "S&D")), "his father, also an MEP"),
    ("spinelli", name("Altiero", "Spinelli", country="IT", organisations=(EP,)), "her father, also an MEP"),
    ("scholz", name("Olaf", "Scholz", country="DE"), "same family name"),
    ("scholz", name("Martin", "Schulz", country="DE", organisations=(EP, "S&D")), "similar family name, also an MEP"),
    ("delvaux", name("Anne", "Delvaux", country="BE", organisations=(EP, "EPP")), "Belgian MEP 2009-2014"),
    ("paet", name("Urmas", "Reinsalu", country="EE", organisations=("Isamaa",)), "same given name and country"),
    ("kelam", name("Tanel", "Kelam", country="EE"), "constructed: similar given name"),
    ("staes", name("Bart", "De Wever", country="BE"), "same given name and country"),
    ("ujazdowski", name("Kazimierz", "Marcinkiewicz", country="PL"), "same given name and country"),
    ("panzeri", name("Pier Luigi", "Panzeri", country="IT"), "constructed: other second given name"),
    ("stetina", name("Jaromír", "Štětka", country="CZ"), "constructed: similar family name"),
    ("soltes", name("Igor", "Savchenko"), "same given name"),
    ("benifei", name("Brando", "Bonifazi", country="IT"), "constructed: similar family name"),
    ("vautmans", name("Hilde", "Vandenbroucke", country="BE"), "same given name and country"),
    # Namesakes: the same name, another country and organisation (constructed).
    ("gomes", name("Ana", "Gomes", country="BR", organisations=("Folha de S.Paulo",)), "namesake"),
    ("ward", name("Julie", "Ward", country="US", organisations=("University of Pittsburgh",)), "namesake"),
    ("scholz", name("Helmut", "Scholz", country="AT", organisations=("ORF",)), "namesake"),
    ("dzhakishev", name("Mukhtar", "Dzhakishev", country="RU", organisations=("Gazprom",)), "namesake"),
    ("zdechovsky", name("Tomáš", "Zdechovský", country="SK", organisations=("Slovak Radio",)), "namesake"),
    ("tumenova", native("Бахыт Туменова", country="RU", organisations=("Sberbank",)), "namesake, Cyrillic"),
    ("kelam", name("Tunne", "Kelam", country="FI", organisations=("Nokia",)), "namesake"),
    ("paet", name("Urmas", "Paet", country="SE", organisations=("Volvo",)), "namesake"),
    # Written after the rules were tuned on the pairs above, and kept whatever they scored.
    ("ablyazov", name("Mukhtar", "Abdrakhmanov", country="KZ"), "same given name and country"),
    ("toregozhina", name("Bakhytzhan", "Tuleubekov", country="KZ"), "same given name and country"),
    ("sanchez", name("Lola", "Sánchez García", country="ES"), "constructed: other second surname"),
    ("benifei", name("Brando", "Benifei", country="US", organisations=("Columbia University",)), "namesake"),
    ("paet", name("Urmas", "Paat", country="EE"), "constructed: one letter off in a short name"),
    ("kelam", name("Mart", "Kelam", country="EE"), "same family name and country"),
    ("mogherini", name("Federica", "Moretti", country="IT"), "same given name and country"),
    ("vautmans", name("Hilde", "Vautmans", country="NL", organisations=("Rabobank",)), "namesake"),
]
