"""Demo people: those named in the two public documents on the Dzhakishev case (see organisations).

Only what the documents say, or what is well established public record, is entered; unknown fields stay
blank. The emails of the two foundation staff are printed in the report itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.demo.organisations import (
    ALDE,
    AMAN_SAULIK,
    DIE_LINKE,
    DROI,
    ECR,
    EPP,
    EUROPEAN_COMMISSION,
    EUROPEAN_PARLIAMENT,
    FREEDOM_HOUSE,
    GREENS,
    GROEN,
    GUE,
    ISAMAA,
    KAZATOMPROM,
    KDU_CSL,
    LABOUR,
    LSAP,
    OPEN_DIALOG,
    OPEN_VLD,
    PARTIDO_SOCIALISTA,
    PARTITO_DEMOCRATICO,
    PIS,
    PODEMOS,
    PRESIDENT_KZ,
    REFORM_PARTY,
    SD,
    TOP_09,
    VERJAMEM,
)

SOURCE = "Demo data — public documents on the Dzhakishev case"
TAG = "Dzhakishev case"


@dataclass(frozen=True)
class DemoRole:
    organisation: str  # an organisation name from ORGANISATIONS
    title: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoAddress:
    street: str  # a comma starts a new line of the letter's address block
    postcode: str
    city: str
    country: str
    label: str


# The European Parliament's public office address in Brussels (public record): where letters to MEPs go.
EP_BRUSSELS = DemoAddress(
    "Parlement européen, Bâtiment Altiero Spinelli, Rue Wiertz 60", "1047", "Bruxelles", "BE", "Office, Brussels"
)


@dataclass(frozen=True)
class DemoPerson:
    family_name: str
    given_name: str
    category: str | None  # a default category name; None leaves it empty
    country: str | None = None
    patronymic: str = ""
    native_name: str = ""
    notes: str = ""
    emails: tuple[str, ...] = ()
    roles: tuple[DemoRole, ...] = ()
    honorific: str = ""
    address: DemoAddress | None = None


@dataclass(frozen=True)
class PersonRef:
    """A person of PEOPLE, by name: the campaign's subject or a party to its outreach."""

    family_name: str
    given_name: str


# The 8th term of the European Parliament.
TERM_STARTS = date(2014, 7, 1)
TERM_ENDS = date(2019, 7, 1)
TERM_NOTE = "8th parliamentary term"
MEP_LETTERS = (
    "One of the 17 MEPs who wrote to the Kazakh authorities in October and December 2017 demanding "
    "Dzhakishev's release."
)
WRITTEN_QUESTIONS = "Asked the Commission about Dzhakishev (written questions E-2017-007094 and E-2017-007095)."


def _mep(
    honorific: str,
    given_name: str,
    family_name: str,
    country: str,
    group: str,
    party: str | None,
    *,
    starts_on: date = TERM_STARTS,
    group_ends_on: date = TERM_ENDS,
    group_note: str = TERM_NOTE,
    party_role: DemoRole | None = None,
    other_roles: tuple[DemoRole, ...] = (),
    notes: str = "",
) -> DemoPerson:
    """An MEP as in 2017: a seat in the Parliament, a political group and (when known) a national party."""
    roles = [
        DemoRole(EUROPEAN_PARLIAMENT, "Member of the European Parliament", starts_on, TERM_ENDS, TERM_NOTE),
        DemoRole(group, "Member", starts_on, group_ends_on, group_note),
    ]
    if party_role is not None:
        roles.append(party_role)
    elif party is not None:
        roles.append(DemoRole(party, "Member", note="Party as of 2017"))
    roles.extend(other_roles)
    return DemoPerson(
        family_name,
        given_name,
        "MEP",
        country,
        notes=(MEP_LETTERS + " " + notes).strip(),
        roles=tuple(roles),
        honorific=honorific,
        address=EP_BRUSSELS,
    )


MEPS: tuple[DemoPerson, ...] = (
    _mep("Mr", "Brando", "Benifei", "IT", SD, PARTITO_DEMOCRATICO),
    _mep(
        "Ms",
        "Mady",
        "Delvaux-Stehres",
        "LU",
        SD,
        LSAP,
        notes="Listed by the European Parliament as Mady Delvaux. " + WRITTEN_QUESTIONS,
    ),
    _mep("Ms", "Ana", "Gomes", "PT", SD, PARTIDO_SOCIALISTA),
    _mep("Mr", "Tomáš", "Zdechovský", "CZ", EPP, KDU_CSL),
    _mep("Mr", "Tunne", "Kelam", "EE", EPP, ISAMAA, notes=WRITTEN_QUESTIONS),
    _mep("Mr", "Urmas", "Paet", "EE", ALDE, REFORM_PARTY, notes=WRITTEN_QUESTIONS),
    # Elected for the Partito Democratico in 2014; his party in 2017 is not verified, so none is recorded.
    # The subcommittee's press statements name him its Chair from 2017 to the end of the term; the day he
    # took the chair is not verified, so the role starts with the year.
    _mep(
        "Mr",
        "Pier Antonio",
        "Panzeri",
        "IT",
        SD,
        None,
        other_roles=(
            DemoRole(
                DROI,
                "Chair",
                date(2017, 1, 1),
                TERM_ENDS,
                "Chair of the Subcommittee on Human Rights from 2017 (exact date not verified) to the end of the term",
            ),
        ),
    ),
    _mep("Ms", "Lola", "Sánchez Caldentey", "ES", GUE, PODEMOS),
    _mep("Mr", "Helmut", "Scholz", "DE", GUE, DIE_LINKE),
    _mep("Mr", "Igor", "Šoltes", "SI", GREENS, VERJAMEM),
    # Elected on the L'Altra Europa con Tsipras list; no party in 2017.
    _mep("Ms", "Barbara", "Spinelli", "IT", GUE, None),
    # Elected on the TOP 09 list; whether he was a party member is not verified.
    _mep(
        "Mr",
        "Jaromír",
        "Štětina",
        "CZ",
        EPP,
        TOP_09,
        party_role=DemoRole(TOP_09, "", note="Elected to the European Parliament on the TOP 09 list in 2014"),
    ),
    _mep("Mr", "Bart", "Staes", "BE", GREENS, GROEN),
    # Sat as an independent.
    _mep("Mr", "Indrek", "Tarand", "EE", GREENS, None),
    # Succeeded Annemie Neyts-Uyttebroeck on 1 January 2015.
    _mep("Ms", "Hilde", "Vautmans", "BE", ALDE, OPEN_VLD, starts_on=date(2015, 1, 1)),
    _mep("Ms", "Julie", "Ward", "GB", SD, LABOUR),
    # He left PiS on 3 January 2017 and the ECR group during 2018 (exact day not verified, so the group
    # role ends on the last day of 2018); he sat with the ECR when the MEPs wrote in 2017.
    _mep(
        "Mr",
        "Kazimierz Michał",
        "Ujazdowski",
        "PL",
        ECR,
        PIS,
        group_ends_on=date(2018, 12, 31),
        group_note="Left the group during 2018 (exact date not verified) and sat as a non-attached member",
        party_role=DemoRole(
            PIS,
            "Member",
            ends_on=date(2017, 1, 3),
            note="Elected MEP for PiS in 2014; resigned from the party on 3 January 2017 and stayed independent",
        ),
    ),
)

OTHER_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "Mogherini",
        "Federica",
        "Official",
        "IT",
        notes=(
            "Spelled “Mogerini” in the Open Dialog Foundation report. Answering the MEPs' written questions, she "
            "said EU representatives followed Dzhakishev's health and called on Kazakhstan to implement the UN "
            "Human Rights Committee's decision to release him."
        ),
        roles=(
            DemoRole(
                EUROPEAN_COMMISSION,
                "High Representative of the Union for Foreign Affairs and Security Policy / Vice-President "
                "of the European Commission",
                date(2014, 11, 1),
                date(2019, 11, 30),
            ),
        ),
    ),
    DemoPerson(
        "Behrendt",
        "Marc",
        "NGO staff",
        notes="Quoted in the Freedom House statement of September 2019 calling for Dzhakishev's release.",
        roles=(DemoRole(FREEDOM_HOUSE, "Director for Europe and Eurasia Programs", note="As of September 2019"),),
    ),
    DemoPerson(
        "Tumenova",
        "Bakhyt",
        "Human rights defender",
        "KZ",
        native_name="Бахыт Туменова",
        notes=(
            "Doctor and human rights activist; warned that Dzhakishev's high blood pressure puts him at risk of "
            "stroke or heart attack."
        ),
        roles=(DemoRole(AMAN_SAULIK, "Head"),),
    ),
    DemoPerson(
        "Toregozhina",
        "Bakhytzhan",
        "Human rights defender",
        "KZ",
        native_name="Бахытжан Торегожина",
        notes="Human rights activist; a source on Dzhakishev's treatment in the colony and on his pardon request.",
    ),
    DemoPerson(
        "Dzhakishev",
        "Mukhtar",
        "Political prisoner",
        "KZ",
        native_name="Мухтар Джакишев",
        notes=(
            "Former president of the national atomic company Kazatomprom and a close friend of the opposition "
            "politician Mukhtar Ablyazov. Detained by the Kazakh special services in May 2009; after two trials "
            "(2010 and 2012) sentenced to 14 years in prison for embezzlement, accepting bribes and fraud, "
            "charges many human rights organisations regard as politically motivated. In December 2015 the UN "
            "Human Rights Committee (Communication No. 2304/2013) found his rights to a fair trial, to defence "
            "and to humane treatment violated and asked Kazakhstan to quash the conviction and release him; "
            "Kazakhstan refused. In early 2018 he was held in colony AK 159/6 at Dolinka (Karaganda region), "
            "seriously ill with heart and kidney disease; his mother asked President Nazarbayev for a pardon in "
            "September 2017. A court in Semey refused parole on 24 July 2019; the appeal was heard in Oskemen "
            "on 10 September 2019."
        ),
        roles=(
            # The report dates his detention to May 2009 but gives no day, so the role ends on the last day of May.
            DemoRole(KAZATOMPROM, "President", ends_on=date(2009, 5, 31), note="Until his detention in May 2009"),
        ),
    ),
    DemoPerson(
        "Ablyazov",
        "Mukhtar",
        None,
        "KZ",
        native_name="Мухтар Аблязов",
        notes="Opposition politician; the report calls Dzhakishev another victim of the prosecution of Ablyazov.",
    ),
    DemoPerson(
        "Nazarbayev",
        "Nursultan",
        "Official",
        "KZ",
        patronymic="Abishevich",
        native_name="Нурсултан Назарбаев",
        notes="Has the power to pardon Dzhakishev, whose mother appealed to him for a pardon in September 2017.",
        roles=(
            DemoRole(
                PRESIDENT_KZ,
                "President",
                date(1990, 4, 24),
                date(2019, 3, 20),
                note="President of the Kazakh SSR from April 1990, of independent Kazakhstan from December 1991",
            ),
        ),
    ),
    DemoPerson(
        "Savchenko",
        "Igor",
        "Foundation staff",
        notes="Press contact named in the Open Dialog Foundation report on Dzhakishev.",
        emails=("igor.savchenko@odfoundation.eu",),
        roles=(DemoRole(OPEN_DIALOG),),
    ),
    DemoPerson(
        "Kozlovska",
        "Lyudmyla",
        "Foundation staff",
        "UA",
        native_name="Людмила Козловська",
        notes="Press contact named in the Open Dialog Foundation report on Dzhakishev.",
        emails=("lyudmylakozlovska@odfoundation.eu",),
        roles=(DemoRole(OPEN_DIALOG, "President"),),
    ),
)

PEOPLE: tuple[DemoPerson, ...] = MEPS + OTHER_PEOPLE
