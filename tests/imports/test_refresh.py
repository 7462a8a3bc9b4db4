"""Refreshing an official list: the EP's XML after an election or a change of group."""

from __future__ import annotations

from sqlalchemy import select

from crm.audit import service as audit
from crm.contacts import people as people_service
from crm.contacts.models import ExternalId, Person
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.presets import load_preset
from crm.imports.runs import get_run
from crm.imports.undo import undo_import

MEP = "<mep><fullName>{name}</fullName><country>{country}</country><politicalGroup>{group}</politicalGroup>" \
      "<id>{id}</id><nationalPoliticalGroup>{party}</nationalPoliticalGroup></mep>"  # fmt: skip
ZDECHOVSKY = dict(name="Tomáš ZDECHOVSKÝ", country="Czechia", id="124713", party="KDU-ČSL",
                  group="Group of the European People's Party (Christian Democrats)")  # fmt: skip
PAET = dict(name="Urmas PAET", country="Estonia", group="Renew Europe Group", id="129073", party="Reformierakond")


def ep_list(folder, *meps, name="meps.xml"):
    path = folder / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<meps>' + "".join(MEP.format(**m) for m in meps) + "</meps>"
    )
    return path


def person(external: str) -> Person:
    return db.session.scalars(select(Person).join(ExternalId).where(ExternalId.value == external)).one()


def current(person_: Person) -> set[str]:
    db.session.refresh(person_)
    return {role.organisation.short_name or role.organisation.name for role in person_.current_roles}


def test_the_shipped_sample_imports_with_its_preset(app):
    result = run_import(load_preset("ep_meps").sample_path, ImportOptions(preset="ep_meps"), actor=None)
    assert result.counts["rejected"] == 0 and result.counts["created"] >= 5
    zdechovsky = person("124713")
    assert (zdechovsky.given_name, zdechovsky.family_name, zdechovsky.country) == ("Tomáš", "Zdechovský", "CZ")
    assert zdechovsky.category.name == "MEP"
    assert {"European Parliament", "EPP"} <= current(zdechovsky)


def test_a_newer_list_ends_the_roles_of_those_who_left_and_keeps_what_staff_wrote(app, tmp_path):
    run_import(ep_list(tmp_path, ZDECHOVSKY, PAET), ImportOptions(preset="ep_meps"), actor=None)
    paet = person("129073")
    data = person_data_of(paet)
    data.notes = "Signed the 2017 letter."
    people_service.update_person(paet, data, actor=None, expected_version=paet.version)
    db.session.commit()

    moved = dict(ZDECHOVSKY, group="Renew Europe Group")
    after = ep_list(tmp_path, moved, name="after.xml")
    preview = run_import(after, ImportOptions(preset="ep_meps", dry_run=True), actor=None)
    assert "European Parliament" in current(person("129073"))  # a preview ends nothing
    result = run_import(after, ImportOptions(preset="ep_meps"), actor=None)
    assert result.ended_roles == preview.ended_roles

    assert result.counts["updated"] == 1 and result.ended_roles >= 3  # Paet: EP, Renew, party; Zdechovský: EPP
    paet = person("129073")
    assert current(paet) == set() and paet.notes == "Signed the 2017 letter."
    assert any(role.organisation.name == "European Parliament" and role.ends_on for role in paet.roles)
    zdechovsky = person("124713")
    assert "EPP" not in current(zdechovsky) and "Renew" in " ".join(current(zdechovsky))

    undo_import(get_run(result.run_id), actor=None)
    db.session.commit()
    assert "European Parliament" in current(person("129073"))


def test_the_roles_a_refresh_ends_and_its_undo_reopens_are_in_the_persons_history(app, tmp_path):
    run_import(ep_list(tmp_path, ZDECHOVSKY, PAET), ImportOptions(preset="ep_meps"), actor=None)
    result = run_import(ep_list(tmp_path, ZDECHOVSKY, name="after.xml"), ImportOptions(preset="ep_meps"), actor=None)
    db.session.commit()
    paet = person("129073")

    def role_edits() -> list[list]:
        entries = audit.history("person", paet.id)
        return [entry.changes["role"] for entry in entries if entry.action == "edit role"]

    ended = role_edits()
    assert len(ended) == result.ended_roles == 3  # Paet alone left: EP, Renew, his party
    [parliament] = [change for change in ended if "European Parliament" in change[0]]
    assert parliament[0].endswith("– now)") and not parliament[1].endswith("– now)")

    undo_import(get_run(result.run_id), actor=None)
    db.session.commit()
    reopened = role_edits()[:3]  # newest first
    assert {tuple(change) for change in reopened} == {(after, before) for before, after in ended}
