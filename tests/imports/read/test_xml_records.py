import subprocess

import pytest
from defusedxml.ElementTree import iterparse

from crm.imports.header import find_header
from crm.imports.presets import SAMPLES_DIR
from crm.imports.read import SheetNotFound, UnreadableFile, read_sheet, reader_process, xml_records
from crm.imports.read.sheet import MB

EP_SAMPLE = SAMPLES_DIR / "ep_meps.xml"
EP_HEADER = ["fullName", "country", "politicalGroup", "id", "nationalPoliticalGroup"]
MEP = (
    "<mep><fullName>Tomáš ZDECHOVSKÝ</fullName><country>Czechia</country>"
    "<politicalGroup>Group of the European People's Party (Christian Democrats)</politicalGroup>"
    "<id>124713</id><nationalPoliticalGroup>KDU-ČSL</nationalPoliticalGroup></mep>"
)


def write(tmp_path, text: str, name: str = "list.xml", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows_of(path) -> list[tuple[int, list]]:
    with read_sheet(path) as sheet:
        return [(row.number, row.cells) for row in sheet.rows]


def refusal(path) -> str:
    with pytest.raises(UnreadableFile) as raised:
        rows_of(path)
    message = str(raised.value)
    assert message.endswith(".") and "\n" not in message and message.count(". ") == 0  # one sentence
    return message


# --- The European Parliament's list ------------------------------------------------------------


def test_the_ep_sample_reads_as_a_header_row_and_one_row_per_mep():
    with read_sheet(EP_SAMPLE) as sheet:
        assert (sheet.kind, sheet.name, sheet.sheet_names) == ("xml", "ep_meps", ["ep_meps"])
        rows = [(row.number, row.cells) for row in sheet.rows]
    assert rows[0] == (1, EP_HEADER)
    assert rows[1] == (
        2,
        [
            "Tomáš ZDECHOVSKÝ",
            "Czechia",
            "Group of the European People's Party (Christian Democrats)",
            "124713",  # ids stay text: they are identifiers, not numbers
            "Křesťanská a demokratická unie - Československá strana lidová",
        ],
    )
    assert len(rows) == 13 and [number for number, _ in rows] == list(range(1, 14))


def test_header_detection_finds_the_synthetic_header():
    with read_sheet(EP_SAMPLE) as sheet:
        guess = find_header(list(sheet.rows))
    assert guess.row_number == 1 and guess.labels == EP_HEADER


def test_xml_is_recognised_by_its_first_bytes_whatever_the_name(tmp_path):
    text = "\ufeff<?xml version='1.0'?><meps>" + MEP + "</meps>"
    assert rows_of(write(tmp_path, text, name="meps.xlsx"))[0] == (1, EP_HEADER)
    text = " \r\n\t<meps>" + MEP + "</meps>"
    assert rows_of(write(tmp_path, text, name="no-prolog.csv"))[1][1][0] == "Tomáš ZDECHOVSKÝ"


def test_an_encoding_declared_in_the_prolog_is_honoured(tmp_path):
    text = '<?xml version="1.0" encoding="windows-1251"?><list><person><name>Мухтар Джакишев</name></person></list>'
    assert rows_of(write(tmp_path, text, encoding="cp1251")) == [(1, ["name"]), (2, ["Мухтар Джакишев"])]


def test_fields_found_in_later_records_get_columns_and_missing_ones_stay_empty(tmp_path):
    text = (
        "<meps><mep><fullName>A</fullName><id>1</id></mep>"
        "<mep><fullName>B</fullName><email>b@example.org</email></mep>"
        "<mep><id>3</id></mep><mep/></meps>"
    )
    assert rows_of(write(tmp_path, text)) == [
        (1, ["fullName", "id", "email"]),
        (2, ["A", "1"]),
        (3, ["B", None, "b@example.org"]),
        (4, [None, "3"]),  # an empty <mep/> is skipped; row numbers keep the gap
    ]


def test_attributes_namespaces_nested_and_repeated_fields(tmp_path):
    text = (
        '<ns:export xmlns:ns="urn:example"><ns:meta><ns:date>2024-05-01</ns:date></ns:meta>'
        '<ns:member ns:code="X1"><ns:name> Anna  </ns:name><ns:email>a@example.org</ns:email>'
        "<ns:email>anna@example.org</ns:email><ns:committees><ns:c>AFET</ns:c><ns:c>DROI</ns:c></ns:committees>"
        '</ns:member><ns:member code="X2"><ns:name>Boris</ns:name></ns:member></ns:export>'
    )
    assert rows_of(write(tmp_path, text)) == [
        (1, ["name", "email", "committees", "code"]),
        (2, ["Anna", "a@example.org; anna@example.org", "AFET; DROI", "X1"]),
        (3, ["Boris", None, None, "X2"]),
    ]


def test_records_deeper_in_the_tree_are_found(tmp_path):
    text = (
        "<rss><channel><title>Feed</title><link>https://example.org</link>"
        + "".join(f"<item><title>Item {n}</title><link>https://example.org/{n}</link></item>" for n in range(3))
        + "</channel></rss>"
    )
    rows = rows_of(write(tmp_path, text))
    assert rows[0] == (1, ["title", "link"]) and rows[3] == (4, ["Item 2", "https://example.org/2"])


def test_a_sheet_name_other_than_the_files_is_refused(tmp_path):
    path = write(tmp_path, "<meps>" + MEP + "</meps>", name="meps.xml")
    with pytest.raises(SheetNotFound):
        read_sheet(path, sheet="Sheet1")
    with read_sheet(path, sheet="meps") as sheet:
        assert sheet.name == "meps"


def test_closing_early_stops_reading(tmp_path):
    path = write(tmp_path, "<meps>" + MEP * 1000 + "</meps>")
    sheet = read_sheet(path)
    assert next(sheet.rows).number == 1
    sheet.close()
    assert next(sheet.rows, None) is None


def test_elements_are_dropped_as_soon_as_they_are_read(tmp_path, monkeypatch):
    """Memory holds one record at a time: the tree never grows with the file.

    The reader process runs the passes; here they run in this process, to watch the tree."""
    roots = []

    def recording(*args, **kwargs):
        for event, element in iterparse(*args, **kwargs):
            if event == "start" and element.tag == "meps":
                roots.append(element)  # one per pass over the file
            yield event, element

    monkeypatch.setattr(xml_records, "iterparse", recording)
    path = write(tmp_path, "<meps>" + "".join(MEP.replace("124713", str(n)) for n in range(5000)) + "</meps>")
    record_path, columns = xml_records.survey(path)
    assert len(roots) == 1 and len(roots[0]) == 0  # the first pass left nothing behind
    widths = [len(roots[-1]) for _ in xml_records.rows(path, record_path, columns, longest=1000)]
    # iterparse parses 16 KB ahead, so a few dozen records wait their turn; never the whole file.
    assert len(widths) == 5001 and max(widths) < 100


def test_a_huge_but_shallow_list_is_read_whole(tmp_path):
    records = 60_000
    path = tmp_path / "many.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write("<meps>")
        for n in range(records):
            out.write(MEP.replace("124713", str(n)))
        out.write("</meps>")
    assert path.stat().st_size > 10 * MB
    with read_sheet(path) as sheet:
        ids = [(row.number, row.cells[3]) for row in sheet.rows]
    assert len(ids) == records + 1 and ids[-1] == (records + 1, str(records - 1))


# --- Hostile and wrong files ---------------------------------------------------------------------


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_deep_nesting_is_refused_by_the_reader_process_in_one_sentence(tmp_path, monkeypatch):
    """40,000 nested elements and no DOCTYPE: gigabytes and seconds when parsed in the web process."""
    started = []

    class RecordingPopen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(reader_process.subprocess, "Popen", RecordingPopen)
    depth = 40_000
    path = write(tmp_path, "<meps>" + "<mep>" * depth + "x" + "</mep>" * depth + "</meps>")
    assert path.stat().st_size > 280_000
    before = resident_kb()
    message = refusal(path)
    grown_mb = (resident_kb() - before) / 1024
    assert message == (
        "The XML in this file is nested more than 32 levels deep, far more than any list of records, "
        "so it was refused as unsafe."
    )
    assert len(started) == 1 and started[0].returncode is not None  # the child parsed it, and has ended
    assert grown_mb < 30


def test_nesting_up_to_the_limit_is_read(tmp_path):
    wrapped = (
        "<a>" * (xml_records.MAX_DEPTH - 3) + "<meps>" + MEP * 2 + "</meps>" + "</a>" * (xml_records.MAX_DEPTH - 3)
    )
    assert len(rows_of(write(tmp_path, wrapped))) == 3  # a, …, meps, mep, fullName: 32 levels
    deeper = "<a>" + wrapped + "</a>"
    assert "nested more than 32 levels" in refusal(write(tmp_path, deeper))


def test_an_entity_bomb_is_refused(tmp_path):
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    path = write(tmp_path, f'<?xml version="1.0"?><!DOCTYPE meps [{entities}]><meps><mep><n>&lol9;</n></mep></meps>')
    assert "document type declaration" in refusal(path)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE meps [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE meps SYSTEM "http://127.0.0.1:9/meps.dtd">',
        '<!DOCTYPE meps [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>',
    ],
)
def test_external_entities_and_dtds_are_refused_unread(tmp_path, doctype):
    path = write(tmp_path, f"<?xml version='1.0'?>{doctype}<meps><mep><fullName>&secret;</fullName></mep></meps>")
    assert refusal(path) == (
        "The file contains an XML document type declaration, which lists of records never need and entity "
        "bombs rely on, so it was refused as unsafe."
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("<meps>\n<mep><fullName>A</fullName></mep>\n<mep><fullName>B</mep>\n</meps>", 3),
        ("<meps><mep><fullName>A & B</fullName></mep></meps>", 1),
        ("<meps>\n<mep>", 2),
        ("<?xml version='1.0'?>", 1),
    ],
)
def test_broken_xml_is_refused_with_the_line(tmp_path, text, line):
    assert refusal(write(tmp_path, text)) == f"The XML in this file is broken at line {line}, so it cannot be read."


def test_broken_xml_late_in_the_file_is_refused_before_any_row(tmp_path):
    path = write(tmp_path, "<meps>" + MEP * 500 + "<mep><oops></mep></meps>")
    with pytest.raises(UnreadableFile):
        read_sheet(path)  # refused when opened, not halfway through an import


@pytest.mark.parametrize(
    "text",
    [
        "<note>Call them after the vote.</note>",
        "<config><timeout>30</timeout><retries>3</retries></config>",
        "<svg><g><path d=''/><path d=''/></g></svg>",
        "<meps><mep><fullName></fullName></mep><mep><fullName/></mep></meps>",
    ],
)
def test_xml_that_is_not_a_list_of_records_is_refused(tmp_path, text):
    assert refusal(write(tmp_path, text)).startswith("This XML file does not hold a list of records")


def test_web_pages_and_excel_2003_files_get_their_own_message(tmp_path):
    xhtml = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>'
    assert "web page" in refusal(write(tmp_path, xhtml))
    excel = '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>'
    assert "Excel 2003" in refusal(write(tmp_path, excel))
