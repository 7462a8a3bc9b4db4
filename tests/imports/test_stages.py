"""The wizard's choices reach the run as plain values, without a form or a request."""

from __future__ import annotations

import pytest

from crm.errors import InvalidInput
from crm.imports.models import ImportRun
from crm.imports.presets import load_preset
from crm.imports.stages import MappingChoices, save_choices


def test_the_choices_are_kept_on_the_run_and_a_preset_leaves_out_columns_without_a_header(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INSTANCE_DIR", str(tmp_path))  # the preset goes to this test's own folder
    run = ImportRun(file_name="list.xlsx")
    choices = MappingChoices(
        mapping={0: "family_name", 1: "email", 2: "tags"},
        labels=["Surname", "E-mail", ""],
        on_duplicate="update",
        category="NGO staff",
        tags="",
        source="partner list",
        save_as="partners",
    )
    save_choices(run, choices)
    assert run.mapping == {"0": "family_name", "1": "email", "2": "tags"}
    assert (run.preset, run.on_duplicate) == (None, "update")
    assert run.defaults == {"category": "NGO staff", "source": "partner list"}
    assert load_preset("partners").columns == {"Surname": "family_name", "E-mail": "email"}


def test_a_mapping_without_a_name_column_is_refused(app):
    run = ImportRun(file_name="list.xlsx")
    with pytest.raises(InvalidInput, match="Map at least one column"):
        save_choices(run, MappingChoices(mapping={1: "email"}, labels=["Surname", "E-mail"]))
    assert not run.mapping
