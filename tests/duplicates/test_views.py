"""The duplicate list and the merge screen through the test client."""

from crm.audit.service import history
from crm.contacts.models import Person
from crm.extensions import db
from tests.factories import make_organisation, make_outreach, make_person, make_role


def _two():
    keep = make_person("Dzhakishev", "Mukhtar", country="KZ")
    other = make_person("", "", native_name="Мухтар Джакишев <script>", country="KZ")
    make_role(other, make_organisation("Kazatomprom"), "President")
    make_outreach("Letter", to=[other])
    return keep, other


def test_everyone_signed_in_sees_the_list_and_only_editors_get_merge_links(client, auth):
    keep, other = _two()
    auth.login("viewer")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "Possible duplicates" in page and "in another script" in page
    assert "Compare and merge" not in page
    assert "&lt;script&gt;" in page and "<script>" not in page.split("</nav>")[1].split("<script src")[0]
    auth.logout()
    auth.login("editor")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert f"/duplicates/merge?keep={keep.id}&amp;other={other.id}" in page


def test_viewers_may_not_merge(client, auth):
    keep, other = _two()
    auth.login("viewer")
    url = f"/duplicates/merge?keep={keep.id}&other={other.id}"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"native_name": "other"}).status_code == 403
    assert not db.session.get(Person, other.id).archived


def test_the_merge_screen_shows_differences_and_what_moves(client, auth):
    keep, other = _two()
    auth.login("editor")
    page = client.get(f"/duplicates/merge?keep={keep.id}&other={other.id}").get_data(as_text=True)
    assert "Family name" in page and "Dzhakishev" in page
    assert 'name="native_name" id="native_name-other" value="other" checked' in page  # blank kept value: other's
    assert "<li>1 role</li>" in page and "<li>1 outreach entry</li>" in page
    assert "President, Kazatomprom" in page  # roles side by side
    assert "Merge into Mukhtar Dzhakishev</button>" in page


def test_an_editor_merges_and_lands_on_the_kept_person(client, auth, staff):
    keep, other = _two()
    auth.login("editor")
    url = f"/duplicates/merge?keep={keep.id}&other={other.id}"
    data = {"native_name": "other", "keep_version": keep.version, "other_version": other.version}
    response = client.post(url, data=data)
    assert response.status_code == 302 and response.location.endswith(f"/contacts/people/{keep.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Merged Мухтар Джакишев &lt;script&gt; into Mukhtar Dzhakishev" in page  # named, and escaped
    db.session.expire_all()
    assert db.session.get(Person, other.id).archived
    assert db.session.get(Person, keep.id).native_name == "Мухтар Джакишев <script>"
    assert history("person", keep.id)[0].actor_id == staff["editor"].id


def test_a_stale_screen_is_refused(client, auth):
    keep, other = _two()
    auth.login("editor")
    url = f"/duplicates/merge?keep={keep.id}&other={other.id}"
    response = client.post(url, data={"keep_version": keep.version - 1, "other_version": other.version})
    assert response.status_code == 302 and "/duplicates/merge" in response.location
    assert "changed after you opened" in client.get(response.location).get_data(as_text=True)
    assert not db.session.get(Person, other.id).archived


def test_bad_merge_requests(client, auth):
    keep, _ = _two()
    auth.login("editor")
    response = client.get(f"/duplicates/merge?keep={keep.id}&other={keep.id}")
    assert response.status_code == 302 and response.location.endswith("/duplicates/")
    assert client.get(f"/duplicates/merge?keep={keep.id}&other=99999").status_code == 404


def test_merging_needs_the_csrf_token(client, auth):
    keep, other = _two()
    auth.login("editor")
    response = client.post(f"/duplicates/merge?keep={keep.id}&other={other.id}", data={}, csrf=False)
    assert response.status_code == 400
    assert not db.session.get(Person, other.id).archived
