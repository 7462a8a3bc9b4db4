"""The lists a new database starts with: migration 0009 puts them in place, admins edit them after.

Plain data with no imports of the app, so that a migration can read it. Each entry has a
stable code: a default an admin renamed is recognised by it and never added again. A new
database gets the lists as they are here; an entry added later reaches existing databases only
through a migration of its own (or `crm demo`, which adds any that are missing).
"""

DEFAULT_CATEGORIES = [
    ("MEP", "mep"),
    ("PACE deputy", "pace_deputy"),
    ("National MP", "national_mp"),
    ("NGO staff", "ngo_staff"),
    ("Official", "official"),
    ("Diplomat", "diplomat"),
    ("Journalist", "journalist"),
    ("Lawyer", "lawyer"),
    ("Family", "family"),
    ("Political prisoner", "political_prisoner"),
    ("Human rights defender", "human_rights_defender"),
    ("Expert", "expert"),
    ("Foundation staff", "foundation_staff"),
]
DEFAULT_ORGANISATION_TYPES = [
    ("EU institution", "eu_institution"),
    ("Parliament or assembly", "parliament"),
    ("Political group", "political_group"),
    ("National party", "national_party"),
    ("Committee", "committee"),
    ("Delegation", "delegation"),
    ("NGO", "ngo"),
    ("Government body", "government"),
    ("Court / UN body", "court"),
    ("Media", "media"),
    ("Embassy", "embassy"),
    ("Company", "company"),
    ("Other", "other"),
]

# (name, code, reply_after_days): how long a recipient may take before they show as awaiting reply.
DEFAULT_OUTREACH_KINDS = [
    ("Letter", "letter", 21),
    ("Email", "email", 14),
    ("Meeting", "meeting", 14),
    ("Call", "call", 7),
    ("Written question", "written_question", 42),
    ("Written declaration", "written_declaration", 30),
    ("Joint letter", "joint_letter", 21),
    ("Public statement", "public_statement", 30),
    ("Event", "event", 14),
    ("Petition", "petition", 30),
    ("Other", "other", 21),
]
# (name, code, effect): the effect is the fixed class reports count by.
DEFAULT_OUTCOMES = [
    ("Committed to act", "committed", "committed"),
    ("Acted", "acted", "acted"),
    ("Acknowledged only", "acknowledged", "acknowledged"),
    ("Referred elsewhere", "referred", "other"),
    ("Declined", "declined", "declined"),
    ("Hostile", "hostile", "hostile"),
]
