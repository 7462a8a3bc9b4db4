"""Walk every route in app.url_map: login is required everywhere, viewers change nothing."""

import io
from datetime import date

import pytest

from crm.auth.access import PUBLIC_ENDPOINTS, SELF_SERVICE_ENDPOINTS
from crm.campaigns.members import add_members
from crm.campaigns.service import AskData, MilestoneData, save_ask, save_milestone
from crm.contacts.data import AddressData
from crm.contacts.saved_lists import create_list
from crm.contacts.search import PeopleFilter
from crm.extensions import db
from crm.imports.models import ImportRun
from crm.letters.audience import LetterSource
from crm.letters.service import MergeRequest, MergeTemplate, start_merge
from crm.letters.templates import add_sample_template
from crm.mailbox.filing import file_message
from crm.mailing.audience import AudienceSource
from crm.mailing.service import ComposeData, start_mailing
from crm.outreach.attachments import store
from crm.salutations.service import SalutationData, ensure_default_salutations, save_salutation
from crm.selections import bulk
from crm.selections import service as selection_service
from crm.taxonomy.service import categories
from tests.factories import make_campaign, make_organisation, make_outreach, make_person, make_response, make_role
from tests.mailbox.conftest import make_email

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def records(app, staff):
    person, organisation = make_person("Dzhakishev", "Mukhtar"), make_organisation("Kazatomprom")
    role = make_role(person, organisation, "President", date(1998, 1, 1), date(2009, 5, 21))
    campaign = make_campaign()
    ask = save_ask(campaign, AskData("Release him"), actor=None)
    milestone = save_milestone(campaign, MilestoneData(date(2019, 9, 10), "Parole hearing"), actor=None)
    outreach = make_outreach("Letter", to=[person], campaign_id=campaign.id)
    response = make_response(outreach, person)
    [attachment] = store([("letter.pdf", io.BytesIO(b"%PDF-1.4 test"))], actor=None, outreach=outreach)
    run = ImportRun(file_name="meps.xlsx", status="done", created_by_id=staff["editor"].id)
    db.session.add(run)
    salutation = save_salutation(SalutationData("en", "Mr", "Dear Mr {{ family_name }}"), actor=None)
    reader = make_person("Kelam", "Tunne", emails=("kelam@example.org",))  # no mail server: an .eml file
    mailing = start_mailing(ComposeData(AudienceSource(person_ids=[reader.id]), "Hello", "Hello"), actor=None)
    ensure_default_salutations()
    template = add_sample_template(actor=None)
    make_person("Staes", "Bart", addresses=[AddressData("Rue Wiertz 60", "1047", "Bruxelles", "BE")])
    merge = start_merge(MergeRequest(LetterSource(people_filter="q=Staes")), MergeTemplate.stored(template), actor=None)
    selection_service.select_items(staff["editor"].id, "people", [person.id])
    bulk_action = bulk.tag_selection(staff["editor"], "people", "Selected")
    saved_list = create_list("Everyone", "frozen", PeopleFilter(), actor=None)
    [member] = add_members(campaign, [person.id], "target", actor=None)
    db.session.commit()
    triaged = file_message(make_email(sender="stranger@example.net"), origin="imap", actor=None)
    return {
        "campaign_id": campaign.id,
        "ask_id": ask.id,
        "milestone_id": milestone.id,
        "outreach_id": outreach.id,
        "response_id": response.id,
        "attachment_id": attachment.id,
        "person_id": person.id,
        "organisation_id": organisation.id,
        "role_id": role.id,
        "user_id": staff["viewer"].id,
        "item_id": categories()[0].id,
        "kind": "categories",
        "run_id": run.id,
        "salutation_id": salutation.id,
        "mailing_id": mailing.id,
        "triage_message_id": triaged.triage_id,
        "action": "discard",
        "letter_template_id": template.id,
        "letter_merge_id": merge.id,
        "output": "zip",
        "source": "response",  # a row of my queue: a follow-up set on a reply
        "record_id": response.id,
        "list_name": "people",
        "action_id": bulk_action.id,
        "saved_list_id": saved_list.id,
        "member_id": member.id,
        "participant_id": outreach.participants[0].id,
    }


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        yield rule


def _url(rule, records) -> str:
    return rule.build({name: records[name] for name in rule.arguments})[1]


def test_the_walk_covers_the_application(app):
    endpoints = {rule.endpoint for rule in _routes(app)}
    assert {"contacts.person_new", "contacts.person_edit", "auth.user_edit", "taxonomy.delete"} <= endpoints


def test_every_route_sends_anonymous_visitors_to_login(app, client, records):
    for rule in _routes(app):
        url = _url(rule, records)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert response.location.startswith("/login"), (method, url)


def test_every_state_changing_route_is_forbidden_to_viewers(app, client, auth, records):
    auth.login("viewer")
    checked = 0
    for rule in _routes(app):
        if rule.endpoint in SELF_SERVICE_ENDPOINTS:
            continue
        url = _url(rule, records)
        if rule.methods & STATE_CHANGING:
            for method in sorted(rule.methods & STATE_CHANGING):
                response = client.open(url, method=method, data={})
                assert response.status_code == 403, (method, url)
                checked += 1
        view = app.view_functions[rule.endpoint]
        if "GET" in rule.methods and getattr(view, "required_role", "viewer") != "viewer":
            # The forms of editor and admin pages are not shown to viewers either.
            assert client.get(url).status_code == 403, url
    assert checked >= 15


def test_viewers_read_everything_else(app, client, auth, records):
    auth.login("viewer")
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        if "GET" in rule.methods and getattr(view, "required_role", "viewer") == "viewer":
            assert client.get(_url(rule, records)).status_code == 200, rule.rule


def test_admin_pages_are_forbidden_to_editors(app, client, auth, records):
    auth.login("editor")
    for rule in _routes(app):
        if getattr(app.view_functions[rule.endpoint], "required_role", None) == "admin":
            assert client.get(_url(rule, records)).status_code == 403, rule.rule
