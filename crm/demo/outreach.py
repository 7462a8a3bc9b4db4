"""The demo campaign's outreach and the replies to it, as the two public documents record them (see
crm/demo/campaign.py for how dates the documents leave out are chosen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.demo.organisations import (
    EUROPEAN_COMMISSION,
    FREEDOM_HOUSE,
    HUMAN_RIGHTS_WATCH,
    OPEN_DIALOG,
    PRESIDENT_KZ,
    OrganisationRef,
)
from crm.demo.people import MEPS, PersonRef
from crm.demo.sources import (
    FREEDOM_HOUSE_2011_URL,
    HRW_2011_URL,
    HRW_2015_URL,
    MEP_LETTERS_URLS,
    ODF_PARDON_SUPPORT_URL,
    PACE_2017_URL,
    PACE_2018_URL,
    QUESTION_URL,
    QUESTIONS,
    month_only,
)

Party = PersonRef | OrganisationRef


@dataclass(frozen=True)
class DemoParticipant:
    role: str  # from, to, signatory, cc, attendee
    party: Party


@dataclass(frozen=True)
class DemoResponse:
    party: Party
    received_on: date
    channel: str
    outcome: str | None  # an outcome code
    summary: str
    action_taken: str = ""
    url: str = ""


@dataclass(frozen=True)
class DemoOutreach:
    key: str  # names the entry inside this file, for `prompted_by`
    kind: str  # an outreach kind code
    subject: str
    sent_on: date
    summary: str
    participants: tuple[DemoParticipant, ...] = ()
    reference: str = ""
    url: str = ""
    follow_up_on: date | None = None
    # (key of an earlier entry, party): the reply on that entry which reported this action.
    prompted_by: tuple[str, Party] | None = None
    responses: tuple[DemoResponse, ...] = ()


NAZARBAYEV = PersonRef("Nazarbayev", "Nursultan")
MOGHERINI = PersonRef("Mogherini", "Federica")
BEHRENDT = PersonRef("Behrendt", "Marc")
# In the order of footnote 14 of the report.
MEP_REFS = tuple(PersonRef(mep.family_name, mep.given_name) for mep in MEPS)
# Footnote 15 names these three for both written questions, without saying who wrote which.
KELAM, PAET, DELVAUX = PersonRef("Kelam", "Tunne"), PersonRef("Paet", "Urmas"), PersonRef("Delvaux-Stehres", "Mady")
QUESTION_AUTHORS = (KELAM, PAET, DELVAUX)


ASK_MEPS = "odf-asks-meps"

_MEP_REPLY = (
    "Joined the MEPs' inquiries of October and December 2017 to the Kazakh authorities demanding his release "
    "(report, footnote 14). Approximate date: the report does not say when or how each MEP answered the "
    "foundation; 1 October 2017, the start of the month of the first inquiry, is used."
)
_MEP_ACTION = "Joined the MEPs' inquiries to the Kazakh authorities (October and December 2017)."
_QUESTION_ACTION = (
    _MEP_ACTION + " One of the three MEPs (Tunne Kelam, Urmas Paet, Mady Delvaux-Stehres) behind written "
    "questions E-2017-007094 and E-2017-007095 to the European Commission."
)


def _mep_reply(mep: PersonRef) -> DemoResponse:
    action = _QUESTION_ACTION if mep in QUESTION_AUTHORS else _MEP_ACTION
    return DemoResponse(mep, date(2017, 10, 1), "other", "acted", _MEP_REPLY, action_taken=action)


def _question(reference: str) -> DemoOutreach:
    url = QUESTION_URL.format(reference=reference)
    return DemoOutreach(
        key=reference,
        kind="written_question",
        subject=f"Written question {reference} to the Commission on Mukhtar Dzhakishev",
        sent_on=date(2017, 11, 1),
        summary=(
            "Footnote 15 of the report names Tunne Kelam, Urmas Paet and Mady Delvaux-Stehres for questions "
            "E-2017-007094 and E-2017-007095 together, without saying who wrote which, so all three are recorded "
            "on both. Approximate date: the report does not date the questions; 1 November 2017, after the MEPs' "
            "October inquiry, is used."
        ),
        participants=(
            *(DemoParticipant("from", author) for author in QUESTION_AUTHORS),
            DemoParticipant("to", OrganisationRef(EUROPEAN_COMMISSION)),
        ),
        reference=reference,
        url=url,
        # The model links one reply; the first-named author's stands for all three.
        prompted_by=(ASK_MEPS, KELAM),
        responses=(
            DemoResponse(
                MOGHERINI,
                date(2018, 2, 1),
                "written_answer",
                "acted",
                "Answering the MEPs' questions, Vice-President Federica Mogherini (spelled “Mogerini” in the "
                "report) stated that the EU representatives were interested in the state of Dzhakishev's health "
                "and also called on Kazakhstan to implement the decision of the UN Committee on his release. "
                "Approximate date: the report cites the answer but not its date; 1 February 2018, before the "
                "report, is used.",
                action_taken="Called on Kazakhstan to implement the UN Human Rights Committee's decision.",
                url=url,
            ),
        ),
    )


def _public_statement(key: str, author: str, subject: str, on: date, summary: str, url: str = "") -> DemoOutreach:
    return DemoOutreach(
        key=key,
        kind="public_statement",
        subject=subject,
        sent_on=on,
        summary=summary,
        participants=(DemoParticipant("from", OrganisationRef(author)),),
        url=url,
    )


def _report_year(year: int) -> str:
    return (
        f"Approximate date: the source gives the report's year, {year}, but not its publication date, "
        "so 1 January is used."
    )


_CITED = "Cited by the Open Dialog Foundation report (footnote {n}) as speaking in defence of Dzhakishev. "

OUTREACH: tuple[DemoOutreach, ...] = (
    _public_statement(
        "freedom-house-2011",
        FREEDOM_HOUSE,
        "Freedom in the World 2011: Kazakhstan",
        date(2011, 1, 1),
        _CITED.format(n=10) + _report_year(2011),
        FREEDOM_HOUSE_2011_URL,
    ),
    _public_statement(
        "hrw-2011",
        HUMAN_RIGHTS_WATCH,
        "Human Rights Watch World Report 2011",
        date(2011, 1, 1),
        _CITED.format(n=11) + _report_year(2011),
        HRW_2011_URL,
    ),
    _public_statement(
        "hrw-2015",
        HUMAN_RIGHTS_WATCH,
        "Human Rights Watch World Report 2015: Kazakhstan",
        date(2015, 1, 1),
        _CITED.format(n=11) + _report_year(2015),
        HRW_2015_URL,
    ),
    DemoOutreach(
        key="pardon-appeal",
        kind="letter",
        subject="Pardon appeal to President Nazarbayev from Dzhakishev's mother",
        sent_on=date(2017, 9, 1),
        summary=(
            "Fearing for his life, his mother asked the President to pardon her son. By early 2018 the Pardon "
            "Commission under the President had not considered the appeal; its next meeting was expected in "
            "March 2018. Kazakh human rights defenders and activists prepared a letter of support (report, "
            "footnote 7). Her name is not in the report, so she is not recorded as a contact and no answer is "
            "known. " + month_only("September 2017")
        ),
        participants=(DemoParticipant("to", NAZARBAYEV),),
        url=ODF_PARDON_SUPPORT_URL,
        # Check what the Pardon Commission decided at its March 2018 meeting.
        follow_up_on=date(2018, 3, 1),
    ),
    DemoOutreach(
        key=ASK_MEPS,
        kind="other",
        subject="The Open Dialog Foundation asks MEPs to intervene for Dzhakishev",
        sent_on=date(2017, 10, 1),
        summary=(
            "The foundation's request to MEPs to take up the case. The report (footnote 14) names the 17 MEPs "
            "who then wrote to the Kazakh authorities and links the foundation's articles on their letters; it "
            "does not give the date, form or wording of the request. Approximate date: 1 October 2017, the start "
            "of the month of the MEPs' first inquiry."
        ),
        participants=(
            DemoParticipant("from", OrganisationRef(OPEN_DIALOG)),
            *(DemoParticipant("to", mep) for mep in MEP_REFS),
        ),
        responses=tuple(_mep_reply(mep) for mep in MEP_REFS),
    ),
    DemoOutreach(
        key="mep-inquiries",
        kind="joint_letter",
        subject="MEPs' inquiries to the Kazakh authorities demanding Dzhakishev's release (October and December 2017)",
        sent_on=date(2017, 10, 1),
        summary=(
            "17 MEPs wrote to the Kazakh authorities in October and December 2017. The report lists them together "
            "and does not say who signed which letter, so both rounds are one entry here. It says only “the "
            "Kazakhstani authorities”: the President's office is recorded as the recipient. Footnote 14 links "
            "the foundation's two articles, presumably on the October and the December letters: "
            f"{MEP_LETTERS_URLS[0]} and {MEP_LETTERS_URLS[1]}. No answer is known: the report says Kazakhstan "
            "ignores the EU's demands. " + month_only("October 2017")
        ),
        participants=(
            *(DemoParticipant("signatory", mep) for mep in MEP_REFS),
            DemoParticipant("to", OrganisationRef(PRESIDENT_KZ)),
        ),
        url=MEP_LETTERS_URLS[0],
        # The model links one reply; the first-named MEP's stands for all 17.
        prompted_by=(ASK_MEPS, MEP_REFS[0]),
    ),
    DemoOutreach(
        key="pace-2017",
        kind="written_declaration",
        subject="PACE written declaration on Mukhtar Dzhakishev (26 deputies)",
        sent_on=date(2017, 10, 11),
        summary=(
            "26 signatories, names not in the source. States torture, denial of medical assistance and violation "
            "of Kazakhstan's international obligations in his case (report, footnote 12)."
        ),
        url=PACE_2017_URL,
    ),
    *(_question(reference) for reference in QUESTIONS),
    DemoOutreach(
        key="pace-2018",
        kind="written_declaration",
        subject="PACE written declaration on Mukhtar Dzhakishev (24 deputies)",
        sent_on=date(2018, 1, 25),
        summary=(
            "24 signatories, names not in the source. States torture, denial of medical assistance and violation "
            "of Kazakhstan's international obligations in his case (report, footnote 13)."
        ),
        url=PACE_2018_URL,
    ),
    _public_statement(
        "odf-report",
        OPEN_DIALOG,
        "The case of Mukhtar Dzhakishev: release the political prisoner to save his life",
        date(2018, 3, 1),
        "The foundation's report on his health and the international appeals. It calls on the international "
        "community to demand that Kazakhstan implement the UN Committee's decision and release him, grant the "
        "pardon and let him travel abroad for treatment, and calls on the European Commission and EU embassies "
        "to press for his release in the partnership negotiations. Contacts: Igor Savchenko and Lyudmyla "
        "Kozlovska. Approximate date: the report is undated; it cites a Council press release of 26 February "
        "2018 and expects the Pardon Commission to meet in March 2018, so 1 March 2018 is used.",
    ),
    DemoOutreach(
        key="freedom-house-2019",
        kind="public_statement",
        subject="Freedom House: “Kazakhstan: Uphold Rights to Liberty and a Fair Trial and Free Mukhtar Dzhakishev”",
        sent_on=date(2019, 9, 1),
        summary=(
            "Issued ahead of the parole appeal hearing of 10 September 2019 at Oskemen Oblast City Court. Marc "
            "Behrendt, director for Europe and Eurasia programs: “We call on Kazakhstan to release Mukhtar "
            "Dzhakishev immediately to demonstrate that the international commitments of the country are "
            "respected and upheld.” Approximate date: the copy on file gives no date, only that it came before "
            "the hearing; 1 September 2019 is used."
        ),
        participants=(
            DemoParticipant("from", OrganisationRef(FREEDOM_HOUSE)),
            DemoParticipant("from", BEHRENDT),
        ),
    ),
)
