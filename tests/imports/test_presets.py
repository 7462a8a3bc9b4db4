import importlib.util
import itertools
import zipfile
from pathlib import Path

import pytest

from crm.contacts.sheet_fields import FIELDS
from crm.errors import Conflict, InvalidInput
from crm.imports.header import HEAD_ROWS, not_a_person
from crm.imports.mapping import apply_mapping, auto_map
from crm.imports.presets import (
    SAMPLES_DIR,
    PresetError,
    delete_preset,
    list_presets,
    load_preset,
    match_preset,
    save_preset,
    suggest_preset,
)
from crm.imports.read import read_sheet

SHIPPED = ["crm_export", "ep_meps", "ep_meps_excel", "generic", "pace_members"]


def read_sample(preset):
    """The sample as the pipeline reads it: first rows, the suggested preset and header, then the people."""
    with read_sheet(preset.sample_path, preset.sheet) as sheet:
        head = list(itertools.islice(sheet.rows, HEAD_ROWS))
        suggestion = suggest_preset(head)
        below = itertools.chain((row for row in head if row.number > suggestion.header.row_number), sheet.rows)
        people = [row for row in below if not not_a_person(row, suggestion.header)]
    return suggestion, people


# --- Shipped presets and their samples --------------------------------------------------------


def test_the_shipped_presets_load_without_an_app():
    presets = list_presets()
    assert sorted(preset.name for preset in presets) == SHIPPED
    assert all(preset.shipped and preset.sample_path.is_file() for preset in presets)


@pytest.mark.parametrize("name", SHIPPED)
def test_each_preset_recognises_and_maps_every_column_of_its_sample(name):
    preset = load_preset(name)
    suggestion, people = read_sample(preset)
    assert suggestion.preset is not None and suggestion.preset.name == name
    assert suggestion.score >= 0.7
    labels = suggestion.header.labels
    mapping = preset.map(labels)
    assert [column.label for column in mapping.columns if column.field is None] == []
    assert mapping.has_name
    # the synonyms alone get every column right too: a list like this one needs no preset
    assert auto_map(labels).fields == mapping.fields or name == "ep_meps"  # alone, "id" is only guessed
    assert people and all(apply_mapping(row.cells, mapping) for row in people)


def test_the_ep_xml_sample_gives_ids_in_the_parliaments_scheme_and_a_refresh_source():
    preset = load_preset("ep_meps")
    suggestion, people = read_sample(preset)
    first = apply_mapping(people[0].cells, preset.map(suggestion.header.labels))
    assert first["full_name"] == "Tomáš ZDECHOVSKÝ" and first["external_id"] == "124713"
    assert (preset.external_id_scheme, preset.refresh_source) == ("ep", "ep_meps")
    assert preset.defaults == {
        "category": "MEP",
        "organisation": "European Parliament",
        "role_title": "Member",
        "source": "European Parliament MEP list",
    }
    assert len(people) == 12


def test_the_excel_mep_sample_skips_its_title_totals_and_note():
    suggestion, people = read_sample(load_preset("ep_meps_excel"))
    assert suggestion.header.row_number == 3
    assert [row.cells[0] for row in people][:2] == ["BENIFEI", "DELVAUX"] and len(people) == 11
    assert load_preset("ep_meps_excel").refresh_source is None  # a selection must not end anybody's role


def test_the_pace_sample_maps_functions_and_dates():
    preset = load_preset("pace_members")
    suggestion, people = read_sample(preset)
    first = apply_mapping(people[0].cells, preset.map(suggestion.header.labels))
    assert first["full_name"] == "Mr Frank SCHWABE" and first["political_group"] == "SOC"
    assert first["role_title"] == "Member" and first["role_start"].year == 2010
    assert preset.external_id_scheme == "pace" and preset.defaults["category"] == "PACE deputy"


def test_generic_and_export_presets_use_exactly_the_labels_of_the_field_vocabulary():
    generic, export = load_preset("generic"), load_preset("crm_export")
    assert generic.columns == {field.label: field.key for field in FIELDS if field.key != "id"}
    assert export.columns == {field.label: field.key for field in FIELDS}
    assert generic.header_row == export.header_row == 1


def test_the_export_preset_round_trips_this_products_ids():
    preset = load_preset("crm_export")
    suggestion, people = read_sample(preset)
    rows = [apply_mapping(row.cells, preset.map(suggestion.header.labels)) for row in people]
    assert [row["id"] for row in rows] == [1, 2, 3, 4]
    assert suggestion.header.labels == [field.label for field in FIELDS]


def test_match_preset_suggests_nothing_for_an_unrelated_header():
    assert match_preset(["Invoice", "Amount", "VAT"]) == (None, 0.0)
    preset, score = match_preset(["fullName", "country", "politicalGroup", "id", "nationalPoliticalGroup"])
    assert preset.name == "ep_meps" and score == 1.0


def test_the_committed_samples_are_what_make_samples_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES_DIR / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    for written in make_samples.main(tmp_path):
        committed = SAMPLES_DIR / written.name
        assert parts(written) == parts(committed), f"{written.name}: run imports/samples/make_samples.py"


def parts(path: Path) -> dict[str, bytes]:
    if path.suffix != ".xlsx":
        return {path.name: path.read_bytes()}
    with zipfile.ZipFile(path) as archive:  # compare contents, not zlib's bytes
        return {name: archive.read(name) for name in archive.namelist()}


# --- Presets staff save -----------------------------------------------------------------------


def test_a_saved_preset_loads_back_and_maps_by_folded_labels(tmp_path):
    mapping = auto_map(["Nom", "Prénom", "Courriel", "Réf."]).with_field(3, "external_id")
    saved = save_preset(
        "delegation-fr",
        mapping,
        title="French delegation list",
        defaults={"category": "PACE deputy", "tags": ["PACE", "France"]},
        external_id_scheme="pace",
        header_row=2,
        instance_dir=tmp_path,
    )
    assert (tmp_path / "presets" / "delegation-fr.yaml").is_file()
    loaded = load_preset("delegation-fr", instance_dir=tmp_path)
    assert (
        loaded.columns
        == saved.columns
        == {
            "Nom": "family_name",
            "Prénom": "given_name",
            "Courriel": "email",
            "Réf.": "external_id",
        }
    )
    assert loaded.defaults == {"category": "PACE deputy", "tags": ["PACE", "France"]}
    assert (loaded.external_id_scheme, loaded.header_row, loaded.shipped) == ("pace", 2, False)
    assert loaded.map(["NOM", "PRENOM", "courriel", "REF"]).fields == {
        0: "family_name",
        1: "given_name",
        2: "email",
        3: "external_id",
    }
    assert [preset.name for preset in list_presets(tmp_path)][-1] == "delegation-fr"


def test_saving_in_the_app_uses_the_instance_folder(app, tmp_path):
    app.config["INSTANCE_DIR"] = str(tmp_path)
    save_preset("ngo-list", {"Organisation": "organisation", "Contact": "full_name"})
    assert load_preset("ngo-list").title == "ngo-list"
    assert "ngo-list" in {preset.name for preset in list_presets()}


@pytest.mark.parametrize("name", ["", " ", "../evil", "a/b", "Has Space", "UPPER", "name.yaml", "-dash", "x" * 61])
def test_names_that_are_not_plain_file_names_are_refused(tmp_path, name):
    with pytest.raises(InvalidInput) as raised:
        save_preset(name, {"Name": "full_name"}, instance_dir=tmp_path)
    assert "name" in raised.value.errors
    assert not (tmp_path / "presets").exists() or not list((tmp_path / "presets").iterdir())


def test_shipped_presets_cannot_be_overwritten_or_deleted(tmp_path):
    with pytest.raises(Conflict):
        save_preset("ep_meps", {"Name": "full_name"}, instance_dir=tmp_path)
    with pytest.raises(Conflict):
        delete_preset("generic", instance_dir=tmp_path)


def test_an_existing_preset_is_replaced_only_when_asked(tmp_path):
    save_preset("mine", {"Name": "full_name"}, instance_dir=tmp_path)
    with pytest.raises(Conflict):
        save_preset("mine", {"Surname": "family_name"}, instance_dir=tmp_path)
    save_preset("mine", {"Surname": "family_name"}, replace=True, instance_dir=tmp_path)
    assert load_preset("mine", instance_dir=tmp_path).columns == {"Surname": "family_name"}
    delete_preset("mine", instance_dir=tmp_path)
    with pytest.raises(PresetError):
        load_preset("mine", instance_dir=tmp_path)


@pytest.mark.parametrize(
    ("columns", "settings"),
    [
        ({"Name": "birthday"}, {}),
        ({}, {}),
        ({"Name": "full_name"}, {"defaults": {"colour": "red"}}),
        ({"Name": "full_name"}, {"refresh_source": "EP list!"}),
        ({"Name": "full_name"}, {"header_row": 0}),
    ],
)
def test_what_a_preset_says_is_checked_before_it_is_saved(tmp_path, columns, settings):
    with pytest.raises(InvalidInput):
        save_preset("checked", columns, instance_dir=tmp_path, **settings)
    assert not (tmp_path / "presets" / "checked.yaml").exists()


def test_a_broken_staff_preset_is_skipped_in_the_list_but_reported_when_asked_for(tmp_path):
    folder = tmp_path / "presets"
    folder.mkdir()
    (folder / "broken.yaml").write_text("columns:\n  Name: nickname\n", encoding="utf-8")
    (folder / "typo.yaml").write_text("colums:\n  Name: full_name\n", encoding="utf-8")
    assert sorted(preset.name for preset in list_presets(tmp_path)) == SHIPPED
    with pytest.raises(PresetError, match="nickname"):
        load_preset("broken", instance_dir=tmp_path)
    with pytest.raises(PresetError, match="unknown setting colums"):
        load_preset("typo", instance_dir=tmp_path)
    with pytest.raises(PresetError):
        load_preset("../presets/broken", instance_dir=tmp_path)
