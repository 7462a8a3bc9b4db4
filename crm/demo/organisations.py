"""Demo organisations: those named in two public documents on the Dzhakishev case.

The documents are the Open Dialog Foundation report "The case of Mukhtar Dzhakishev: release the political
prisoner to save his life" (early 2018) and the Freedom House statement of September 2019. Only what those
documents say, or what is well established public record, is entered; unknown fields stay blank.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    type_code: str
    short_name: str = ""
    native_name: str = ""
    country: str | None = None
    parent: str | None = None  # the name of an organisation listed before this one
    website: str = ""
    notes: str = ""


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation of ORGANISATIONS, by name: a party to the demo's outreach."""

    name: str


EUROPEAN_PARLIAMENT = "European Parliament"
EPP = "Group of the European People's Party (Christian Democrats)"
SD = "Group of the Progressive Alliance of Socialists and Democrats in the European Parliament"
ALDE = "Group of the Alliance of Liberals and Democrats for Europe"
GREENS = "Group of the Greens/European Free Alliance"
GUE = "Confederal Group of the European United Left - Nordic Green Left"
ECR = "European Conservatives and Reformists Group"
DROI = "Subcommittee on Human Rights"
EUROPEAN_COMMISSION = "European Commission"
COUNCIL_OF_EUROPE = "Council of Europe"
PACE = "Parliamentary Assembly of the Council of Europe"
FREEDOM_HOUSE = "Freedom House"
HUMAN_RIGHTS_WATCH = "Human Rights Watch"
AMAN_SAULIK = "Aman-Saulik"
OMCT = "World Organisation Against Torture"
UN_HUMAN_RIGHTS_COMMITTEE = "UN Human Rights Committee"
OPEN_DIALOG = "Open Dialog Foundation"
PRESIDENT_KZ = "President of the Republic of Kazakhstan"
PARDON_COMMISSION = "Pardon Commission under the President of the Republic of Kazakhstan"
INTERIOR_KZ = "Ministry of Internal Affairs of the Republic of Kazakhstan"
HEALTH_KZ = "Ministry of Health of the Republic of Kazakhstan"
OSKEMEN_COURT = "Oskemen Oblast City Court"
SEMEY_COURT = "Court in Semey"
COLONY = "Penal colony AK 159/6"
KAZATOMPROM = "Kazatomprom"

# National parties of the 17 MEPs, under their own names as the European Parliament lists them.
PARTITO_DEMOCRATICO = "Partito Democratico"
LSAP = "Lëtzebuerger Sozialistesch Aarbechterpartei"
PARTIDO_SOCIALISTA = "Partido Socialista"
KDU_CSL = "Křesťanská a demokratická unie – Československá strana lidová"
TOP_09 = "TOP 09"
ISAMAA = "Isamaa"
REFORM_PARTY = "Eesti Reformierakond"
DIE_LINKE = "Die Linke"
PODEMOS = "Podemos"
VERJAMEM = "Verjamem"
GROEN = "Groen"
OPEN_VLD = "Open Vlaamse Liberalen en Democraten"
LABOUR = "Labour Party"
PIS = "Prawo i Sprawiedliwość"

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    # European Union
    DemoOrganisation(EUROPEAN_PARLIAMENT, "parliament", short_name="EP", website="https://www.europarl.europa.eu"),
    DemoOrganisation(EPP, "political_group", short_name="EPP", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(SD, "political_group", short_name="S&D", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(ALDE, "political_group", short_name="ALDE", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(GREENS, "political_group", short_name="Greens/EFA", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(GUE, "political_group", short_name="GUE/NGL", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(ECR, "political_group", short_name="ECR", parent=EUROPEAN_PARLIAMENT),
    DemoOrganisation(
        DROI,
        "committee",
        short_name="DROI",
        parent=EUROPEAN_PARLIAMENT,
        website="https://www.europarl.europa.eu/committees/en/droi",
        notes="A subcommittee of the European Parliament's Committee on Foreign Affairs (AFET).",
    ),
    DemoOrganisation(
        EUROPEAN_COMMISSION,
        "eu_institution",
        website="https://ec.europa.eu",
        notes="Its Vice-President answered MEPs' written questions E-2017-007094 and E-2017-007095 on Dzhakishev.",
    ),
    # National parties
    DemoOrganisation(PARTITO_DEMOCRATICO, "national_party", short_name="PD", country="IT", notes="Democratic Party."),
    DemoOrganisation(
        LSAP, "national_party", short_name="LSAP", country="LU", notes="Luxembourg Socialist Workers' Party."
    ),
    DemoOrganisation(PARTIDO_SOCIALISTA, "national_party", short_name="PS", country="PT", notes="Socialist Party."),
    DemoOrganisation(
        KDU_CSL,
        "national_party",
        short_name="KDU-ČSL",
        country="CZ",
        notes="Christian and Democratic Union – Czechoslovak People's Party.",
    ),
    DemoOrganisation(TOP_09, "national_party", country="CZ"),
    DemoOrganisation(
        ISAMAA,
        "national_party",
        country="EE",
        notes="Pro Patria. Called Isamaa ja Res Publica Liit (IRL, Pro Patria and Res Publica Union) until 2018.",
    ),
    DemoOrganisation(REFORM_PARTY, "national_party", country="EE", notes="Estonian Reform Party."),
    DemoOrganisation(DIE_LINKE, "national_party", country="DE", notes="The Left."),
    DemoOrganisation(PODEMOS, "national_party", country="ES"),
    DemoOrganisation(VERJAMEM, "national_party", country="SI", notes="“I Believe”, the list Igor Šoltes led in 2014."),
    DemoOrganisation(GROEN, "national_party", country="BE", notes="Flemish Greens."),
    DemoOrganisation(
        OPEN_VLD, "national_party", short_name="Open Vld", country="BE", notes="Open Flemish Liberals and Democrats."
    ),
    DemoOrganisation(LABOUR, "national_party", country="GB"),
    DemoOrganisation(PIS, "national_party", short_name="PiS", country="PL", notes="Law and Justice."),
    # Council of Europe and the UN
    DemoOrganisation(COUNCIL_OF_EUROPE, "other", short_name="CoE", website="https://www.coe.int"),
    DemoOrganisation(
        PACE,
        "parliament",
        short_name="PACE",
        parent=COUNCIL_OF_EUROPE,
        website="https://pace.coe.int",
        notes=(
            "Written declarations on Dzhakishev: 26 deputies on 11 October 2017 and 24 deputies on "
            "25 January 2018 (torture, denial of medical care, breach of international obligations)."
        ),
    ),
    DemoOrganisation(
        UN_HUMAN_RIGHTS_COMMITTEE,
        "court",
        short_name="CCPR",
        website="https://www.ohchr.org/en/treaty-bodies/ccpr",
        notes=(
            "Communication No. 2304/2013 (December 2015): found that Dzhakishev was denied a fair and public "
            "trial, defence, access to lawyers and humane treatment; asked Kazakhstan to quash the conviction "
            "and release him."
        ),
    ),
    # Non-governmental organisations
    DemoOrganisation(
        OPEN_DIALOG,
        "ngo",
        short_name="ODF",
        native_name="Fundacja Otwarty Dialog",
        country="PL",
        website="https://odfoundation.eu",
        notes="Published the 2018 report on Dzhakishev's health and the MEPs' appeals.",
    ),
    DemoOrganisation(
        FREEDOM_HOUSE,
        "ngo",
        country="US",
        website="https://freedomhouse.org",
        notes="Called for Dzhakishev's release ahead of the parole appeal hearing of 10 September 2019.",
    ),
    DemoOrganisation(HUMAN_RIGHTS_WATCH, "ngo", short_name="HRW", country="US", website="https://www.hrw.org"),
    DemoOrganisation(
        OMCT,
        "ngo",
        short_name="OMCT",
        country="CH",
        website="https://www.omct.org",
        notes="Swiss cardiologists mandated by the OMCT were refused a visit to Dzhakishev in March 2010.",
    ),
    DemoOrganisation(AMAN_SAULIK, "ngo", country="KZ", notes="Human rights organisation for healthcare."),
    # Kazakhstan
    DemoOrganisation(
        PRESIDENT_KZ,
        "government",
        native_name="Президент Республики Казахстан",
        country="KZ",
        website="https://www.akorda.kz",
    ),
    DemoOrganisation(
        PARDON_COMMISSION,
        "government",
        native_name="Комиссия по вопросам помилования при Президенте Республики Казахстан",
        country="KZ",
        parent=PRESIDENT_KZ,
        notes="Had not considered the September 2017 pardon request for Dzhakishev; next meeting due March 2018.",
    ),
    DemoOrganisation(
        INTERIOR_KZ, "government", native_name="Министерство внутренних дел Республики Казахстан", country="KZ"
    ),
    DemoOrganisation(
        HEALTH_KZ, "government", native_name="Министерство здравоохранения Республики Казахстан", country="KZ"
    ),
    # The Freedom House statement names the court this way; it is probably the East Kazakhstan regional court,
    # which sits in Oskemen (Ust-Kamenogorsk), but that is not verified.
    DemoOrganisation(
        OSKEMEN_COURT,
        "court",
        country="KZ",
        notes="Heard the appeal against the refusal of Dzhakishev's parole on 10 September 2019 (Freedom House).",
    ),
    # The statement does not name the court in Semey.
    DemoOrganisation(
        SEMEY_COURT,
        "court",
        country="KZ",
        notes="Dismissed Dzhakishev's petition for parole on 24 July 2019 (Freedom House).",
    ),
    DemoOrganisation(
        COLONY,
        "government",
        country="KZ",
        notes=(
            "In the village of Dolinka, Karaganda region, about 1,000 km from Dzhakishev's family home. "
            "Human rights defenders have repeatedly documented torture there."
        ),
    ),
    DemoOrganisation(
        KAZATOMPROM,
        "company",
        native_name="Казатомпром",
        country="KZ",
        website="https://www.kazatomprom.kz",
        notes="National atomic company of Kazakhstan.",
    ),
)
