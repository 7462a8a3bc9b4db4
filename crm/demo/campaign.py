"""The demo campaign: the Dzhakishev case as the two public documents (see crm/demo/organisations.py)
describe it, with its milestones and asks; its outreach is in crm/demo/outreach.py.

Only what the documents say is entered. Where they give a month without a day, the 1st of the month is
used; where they give no date at all, a date is chosen to keep the order of events. Either way the text
says "Approximate date" and why, so nobody mistakes it for a fact. Names that are not in the documents
(his mother's, the PACE signatories') are not invented: those people are described, not linked.

Its targets and named supporters are the foundation's own choices among the people the documents name:
whom the asks are addressed to (the MEPs, the High Representative, the President), and the two Kazakh
defenders the report quotes on his health. Their notes repeat only what the documents say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.demo.people import MEPS, PersonRef
from crm.demo.sources import (
    ODF_EYE_SURGERY_URL,
    ODF_PARDON_SUPPORT_URL,
    ODF_REPORT,
    PACE_2017_URL,
    PACE_2018_URL,
    month_only,
)


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


@dataclass(frozen=True)
class DemoMember:
    person: PersonRef
    note: str = ""


DZHAKISHEV = PersonRef("Dzhakishev", "Mukhtar")

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
        "his health worsened and he received no medical care. " + month_only("May 2009"),
    ),
    DemoMilestone(
        date(2010, 3, 1),
        "Sentenced to 14 years in prison",
        "Freedom House: sentenced in March 2010 on embezzlement charges that many human rights organisations "
        "regard as politically motivated. The Open Dialog Foundation report says the 14 years resulted from two "
        "trials, in 2010 and 2012 (embezzlement of entrusted property, accepting bribes, fraud). "
        + month_only("March 2010"),
    ),
    DemoMilestone(
        date(2015, 12, 1),
        "UN Human Rights Committee decision (Communication No. 2304/2013)",
        "The Committee found that he had been denied a fair and public trial, the right to defence, the right to "
        "communicate with his lawyers and humane treatment, and asked Kazakhstan to quash the conviction and "
        "release him. Kazakhstan refused to comply. " + month_only("December 2015"),
    ),
    DemoMilestone(
        date(2017, 9, 1),
        "His mother asks President Nazarbayev for a pardon",
        "Fearing for his life, his mother appealed to the President to pardon her son. By early 2018 the Pardon "
        "Commission had not considered the appeal. Kazakh human rights defenders and activists prepared a letter "
        "in support of it (report, footnote 7). " + month_only("September 2017"),
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
        "not yet considered his mother's appeal. " + month_only("March 2018"),
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

# Whom the campaign means to win over. The MEPs and Federica Mogherini have answered (see outreach.py), the
# President has not answered the pardon appeal, and Freedom House's Marc Behrendt, who spoke up on his own
# in 2019, the foundation has not asked yet: the page shows each of the three states.
TARGETS: tuple[DemoMember, ...] = (
    *(DemoMember(PersonRef(mep.family_name, mep.given_name)) for mep in MEPS),
    DemoMember(PersonRef("Mogherini", "Federica"), "Answered the MEPs' written questions for the Commission."),
    DemoMember(PersonRef("Nazarbayev", "Nursultan"), "Can grant the pardon his mother asked for in September 2017."),
    DemoMember(PersonRef("Behrendt", "Marc"), "Called for his release ahead of the hearing of 10 September 2019."),
)

# Named by hand: outreach does not show them, as neither wrote, signed or answered anything of the campaign.
SUPPORTERS: tuple[DemoMember, ...] = (
    DemoMember(PersonRef("Toregozhina", "Bakhytzhan"), "A source on his treatment and on the pardon request."),
    DemoMember(PersonRef("Tumenova", "Bakhyt"), "Warned that his blood pressure puts him at risk of stroke."),
)
