"""The salutations a new database starts with: migration 0016 puts them in place, admins edit them after.

Plain data with no imports of the app, so that a migration can read it. Each entry is
(language, honorific, category code or "", text): the category narrows a form to MEPs or deputies
("Monsieur le Député"), "" honorific is the form for someone whose honorific is not recorded.
"""

_MEMBERS = ("mep", "pace_deputy", "national_mp")

DEFAULT_SALUTATIONS = [
    ("en", "mr", "", "Dear Mr {{ family_name }}"),
    ("en", "ms", "", "Dear Ms {{ family_name }}"),
    ("en", "mrs", "", "Dear Mrs {{ family_name }}"),
    ("en", "dr", "", "Dear Dr {{ family_name }}"),
    ("en", "", "", "Dear {{ full_name }}"),
    ("de", "mr", "", "Sehr geehrter Herr {{ family_name }}"),
    ("de", "ms", "", "Sehr geehrte Frau {{ family_name }}"),
    ("de", "mrs", "", "Sehr geehrte Frau {{ family_name }}"),
    ("de", "dr", "", "Guten Tag Dr. {{ family_name }}"),
    ("de", "", "", "Guten Tag {{ full_name }}"),
    ("fr", "mr", "", "Monsieur"),
    ("fr", "ms", "", "Madame"),
    ("fr", "mrs", "", "Madame"),
    ("fr", "dr", "", "Bonjour Docteur {{ family_name }}"),
    ("fr", "", "", "Bonjour {{ full_name }}"),
    ("ru", "mr", "", "Уважаемый господин {{ family_name }}"),
    ("ru", "ms", "", "Уважаемая госпожа {{ family_name }}"),
    ("ru", "mrs", "", "Уважаемая госпожа {{ family_name }}"),
    ("ru", "dr", "", "Здравствуйте, доктор {{ family_name }}"),
    ("ru", "", "", "Здравствуйте, {{ full_name }}"),
    # Members of a parliament or assembly, where the language has its own form for them.
    *(("de", "mr", code, "Sehr geehrter Herr Abgeordneter {{ family_name }}") for code in _MEMBERS),
    *(("de", "ms", code, "Sehr geehrte Frau Abgeordnete {{ family_name }}") for code in _MEMBERS),
    *(("de", "mrs", code, "Sehr geehrte Frau Abgeordnete {{ family_name }}") for code in _MEMBERS),
    *(("fr", "mr", code, "Monsieur le Député") for code in _MEMBERS),
    *(("fr", "ms", code, "Madame la Députée") for code in _MEMBERS),
    *(("fr", "mrs", code, "Madame la Députée") for code in _MEMBERS),
    *(("ru", "mr", code, "Уважаемый господин депутат") for code in _MEMBERS),
    *(("ru", "ms", code, "Уважаемая госпожа депутат") for code in _MEMBERS),
    *(("ru", "mrs", code, "Уважаемая госпожа депутат") for code in _MEMBERS),
]
