"""The demo campaign: the Dzhakishev case as the two public documents in crm/demo/data.py describe it.

Only what the documents say is entered. Where they give a month without a day, the 1st of the month is
used; where they give no date at all, a date is chosen to keep the order of events. Either way the text
says "Approximate date" and why, so nobody mistakes it for a fact. Names that are not in the documents
(his mother's, the PACE signatories') are not invented: those people are described, not linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.demo.data import (
    EUROPEAN_COMMISSION,
    FREEDOM_HOUSE,
    HUMAN_RIGHTS_WATCH,
    MEPS,
    OPEN_DIALOG,
    PRESIDENT_KZ,
)


@dataclass(frozen=True)
class PersonRef:
    family_name: str
    given_name: str


@dataclass(frozen=True)
class OrganisationRef:
    name: str


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


@dataclass(frozen=True)
class DemoMilestone:
    on: date
    title: str
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class DemoAsk:
    title: str
    of_whom: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class DemoCampaign:
    name: str
    subject: PersonRef
    status: str
    description: str


def _month_only(month: str) -> str:
    return f"Approximate date: the sources give {month} without a day, so the 1st of the month is used."


# --- Sources ---------------------------------------------------------------------------------------------------

ODF_REPORT = (
    "the Open Dialog Foundation report “The case of Mukhtar Dzhakishev: release the political prisoner to save "
    "his life”"
)
# Footnotes of the report.
ODF_EYE_SURGERY_URL = "https://www.facebook.com/toregozhina/posts/1718159451529966"  # footnote 3
ODF_PARDON_SUPPORT_URL = "https://www.facebook.com/toregozhina/posts/1830124683666775"  # footnote 7
FREEDOM_HOUSE_2011_URL = "https://freedomhouse.org/report/freedom-world/2011/kazakhstan#.VFykVDSsU2h"  # footnote 10
HRW_2011_URL = "https://www.hrw.org/sites/default/files/related_material/wr2011_book_complete.pdf"  # footnote 11
HRW_2015_URL = "https://www.hrw.org/world-report/2015/country-chapters/kazakhstan"  # footnote 11
PACE_2017_URL = (  # footnote 12
    "http://assembly.coe.int/nw/xml/XRef/Xref-DocDetails-EN.asp?fileid=24151&lang=EN"
    "&search=dHlwZV9zdHJfZW46IldyaXR0ZW4gZGVjbGFyYXRpb24i"
)
PACE_2018_URL = "http://www.assembly.coe.int/nw/xml/XRef/Xref-DocDetails-EN.asp?FileID=24490&Lang=EN"  # footnote 13
MEP_LETTERS_URLS = (  # footnote 14
    "http://en.odfoundation.eu/a/8466,meps-address-kazakhstani-authorities-on-political-prisoners"
    "-and-eu-kazakhstan-pca",
    "http://en.odfoundation.eu/a/8492,meps-call-upon-the-highest-kazakhstani-authorities-to-stop-politically-motivated"
    "-prosecution-and-mistreatment-of-political-prisoner-iskander-yerimbetov",
)
QUESTION_URL = "http://www.europarl.europa.eu/sides/getAllAnswers.do?reference={reference}&language=EN"  # footnote 15
QUESTIONS = ("E-2017-007094", "E-2017-007095")


# --- Parties ---------------------------------------------------------------------------------------------------

DZHAKISHEV = PersonRef("Dzhakishev", "Mukhtar")
NAZARBAYEV = PersonRef("Nazarbayev", "Nursultan")
MOGHERINI = PersonRef("Mogherini", "Federica")
BEHRENDT = PersonRef("Behrendt", "Marc")
# In the order of footnote 14 of the report.
MEP_REFS = tuple(PersonRef(mep.family_name, mep.given_name) for mep in MEPS)
# Footnote 15 names these three for both written questions, without saying who wrote which.
KELAM, PAET, DELVAUX = PersonRef("Kelam", "Tunne"), PersonRef("Paet", "Urmas"), PersonRef("Delvaux-Stehres", "Mady")
QUESTION_AUTHORS = (KELAM, PAET, DELVAUX)


# --- The campaign ----------------------------------------------------------------------------------------------

CAMPAIGN = DemoCampaign(
    name="Free Mukhtar Dzhakishev",
    subject=DZHAKISHEV,
    status="active",
    description=(
        "Mukhtar Dzhakishev, former head of the national atomic company Kazatomprom and a close friend of the "
        "opposition politician Mukhtar Ablyazov, was detained by the Kazakh special services in May 2009. After "
        "two trials (2010 and 2012) he was sentenced to 14 years in prison for embezzlement of entrusted "
        "property, accepting bribes and fraud, charges many human rights organisations regard as politically "
        "motivated. In December 2015 the UN Human Rights Committee (Communication No. 2304/2013) found that he had "
        "been denied a fair and public trial, the right to defence, access to his lawyers and humane treatment, "
        "and asked Kazakhstan to quash the conviction and release him; Kazakhstan refused.\n\n"
        "In early 2018 he was held in colony AK 159/6 at Dolinka (Karaganda region), 1,000 km from his family, "
        "with heart and kidney disease and, since an MRI of 27 December 2017, angioencephalopathy. The "
        "authorities did not provide effective, long-term treatment, while the Ministry of Internal Affairs "
        "called his health “relatively satisfactory”. A court in Semey refused parole on 24 July 2019; the "
        "appeal hearing was set for 10 September 2019 in Oskemen.\n\n"
        "The campaign asks the Kazakh authorities to implement the UN Committee's decision and release him, to "
        "grant the pardon his mother asked for and to let him travel abroad for treatment, and asks the "
        "European Commission and the embassies of EU countries to press for his release in the negotiations "
        "under the new EU–Kazakhstan partnership agreement.\n\n"
        f"Sources: {ODF_REPORT} (early 2018) and the Freedom House statement ahead of the hearing of "
        "10 September 2019."
    ),
)

MILESTONES: tuple[DemoMilestone, ...] = (
    DemoMilestone(
        date(2009, 5, 1),
        "Detained by the Kazakh special services",
        "For several months his lawyers were not allowed to see him, on the pretext of protecting state secrets; "
        "his health worsened and he received no medical care. " + _month_only("May 2009"),
    ),
    DemoMilestone(
        date(2010, 3, 1),
        "Sentenced to 14 years in prison",
        "Freedom House: sentenced in March 2010 on embezzlement charges that many human rights organisations "
        "regard as politically motivated. The Open Dialog Foundation report says the 14 years resulted from two "
        "trials, in 2010 and 2012 (embezzlement of entrusted property, accepting bribes, fraud). "
        + _month_only("March 2010"),
    ),
    DemoMilestone(
        date(2015, 12, 1),
        "UN Human Rights Committee decision (Communication No. 2304/2013)",
        "The Committee found that he had been denied a fair and public trial, the right to defence, the right to "
        "communicate with his lawyers and humane treatment, and asked Kazakhstan to quash the conviction and "
        "release him. Kazakhstan refused to comply. " + _month_only("December 2015"),
    ),
    DemoMilestone(
        date(2017, 9, 1),
        "His mother asks President Nazarbayev for a pardon",
        "Fearing for his life, his mother appealed to the President to pardon her son. By early 2018 the Pardon "
        "Commission had not considered the appeal. Kazakh human rights defenders and activists prepared a letter "
        "in support of it (report, footnote 7). " + _month_only("September 2017"),
        ODF_PARDON_SUPPORT_URL,
    ),
    DemoMilestone(
        date(2017, 10, 11),
        "Written declaration of 26 PACE deputies",
        "States torture, denial of medical assistance and violation of Kazakhstan's international obligations "
        "in his case.",
        PACE_2017_URL,
    ),
    DemoMilestone(
        date(2017, 10, 31),
        "Eye surgery in Karaganda for a retinal tear",
        "Among his illnesses in prison was a retinal tear. The report's source (footnote 3) is a post by the "
        "human rights defender Bakhytzhan Toregozhina.",
        ODF_EYE_SURGERY_URL,
    ),
    DemoMilestone(
        date(2017, 11, 21),
        "Ministry of Health: examinations only in public clinics",
        "According to his lawyers, the Ministry of Health recommended examining him only at the Regional Medical "
        "Centre and the Cardiology Centre in Karaganda, which lack the equipment for all the prescribed "
        "examinations; a private clinic has it.",
    ),
    DemoMilestone(
        date(2017, 12, 27),
        "MRI: diagnosed with angioencephalopathy",
        "Signs of subcortical and periventricular foci in his brain, a vascular disease that can lead to "
        "disability or death. Published with his consent.",
    ),
    DemoMilestone(
        date(2018, 1, 25),
        "Written declaration of 24 PACE deputies",
        "The second PACE declaration on his case: torture, denial of medical assistance and violation of "
        "Kazakhstan's international obligations.",
        PACE_2018_URL,
    ),
    DemoMilestone(
        date(2018, 3, 1),
        "Pardon Commission meets",
        "The report expects the next meeting of the Pardon Commission under the President in March 2018; it had "
        "not yet considered his mother's appeal. " + _month_only("March 2018"),
    ),
    DemoMilestone(
        date(2019, 7, 24),
        "Court in Semey dismisses his petition for parole",
        "Reported by Freedom House; the decision was appealed.",
    ),
    DemoMilestone(
        date(2019, 9, 10),
        "Parole appeal hearing at Oskemen Oblast City Court",
        "The appeal against the Semey court's decision of 24 July 2019. Freedom House called for his release "
        "ahead of the hearing.",
    ),
)

ASKS: tuple[DemoAsk, ...] = (
    DemoAsk(
        "Implement the UN Human Rights Committee's decision: quash the verdict and release him",
        "Kazakh authorities",
        "open",
        "The report's first demand: fulfil Communication No. 2304/2013 immediately and unconditionally.",
    ),
    DemoAsk(
        "Grant the pardon his mother asked for",
        "President Nazarbayev and the Pardon Commission",
        "open",
        "Appeal of September 2017; not considered by early 2018.",
    ),
    DemoAsk(
        "Allow him to travel abroad for treatment",
        "Kazakh authorities",
        "open",
        "His lawyers say only specialised clinics in Western countries (for example Germany and the United "
        "States) can give him proper care.",
    ),
    DemoAsk(
        "MEPs write to the Kazakh authorities demanding his release",
        "Members of the European Parliament",
        "achieved",
        "17 MEPs wrote in October and December 2017; three of them also put written questions to the Commission.",
    ),
    DemoAsk(
        "Press for his release in the EU–Kazakhstan partnership negotiations",
        "European Commission and the embassies of EU countries",
        "open",
        "The report asks them to intensify negotiations for his release within the new partnership agreement.",
    ),
)


# --- Outreach and responses --------------------------------------------------------------------------------------

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
            "known. " + _month_only("September 2017")
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
            "ignores the EU's demands. " + _month_only("October 2017")
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
