"""The demo's sources: the Open Dialog Foundation report and the links its footnotes give, and how an
approximate date is explained."""

from __future__ import annotations


def month_only(month: str) -> str:
    return f"Approximate date: the sources give {month} without a day, so the 1st of the month is used."


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
