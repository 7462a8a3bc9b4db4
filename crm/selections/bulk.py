"""Tag, untag, archive or add to a campaign a whole selection as one audited operation, and undo exactly
what it changed.

Each action first writes the ids it is about to change (the selection minus those already in the
wanted state) as its items, in one INSERT … SELECT; the change itself and its undo are then one
statement over those items. The records changed move on a version, as an edit by hand does, so
a form opened before the bulk action reports a conflict instead of quietly saving the old tags.
Adding people to a campaign changes no person record, so it moves no version: the memberships it
adds carry its id, and its undo removes those that are still there.
"""

from __future__ import annotations

from sqlalchemy import Select, delete, exists, func, insert, literal, select, update

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.members import check_role, role_noun
from crm.campaigns.models import CampaignMember
from crm.campaigns.service import get_campaign
from crm.contacts.models import Person
from crm.data_version import report_data_changed
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.selections import service as selection
from crm.selections.kinds import ListKind
from crm.selections.models import BulkAction, BulkActionItem
from crm.taxonomy.models import Tag
from crm.taxonomy.service import get_or_create_tags
from crm.timeutil import utcnow

ACTIONS = {
    "tag": "Tagged",
    "untag": "Untagged",
    "archive": "Archived",
    "add targets": "Added",
    "add supporters": "Added",
}
CAMPAIGN_ACTIONS = {"target": "add targets", "supporter": "add supporters"}  # role → the action's name


def get_action(action_id: int) -> BulkAction:
    action = db.session.get(BulkAction, action_id)
    if action is None:
        raise NotFound(f"There is no bulk action with id {action_id}.")
    return action


def describe(action: BulkAction) -> str:
    """ "Tagged 30 people “Urgent”" — what the action did, in words."""
    kind = selection.list_kind(action.kind)
    text = f"{ACTIONS[action.action]} {kind.noun(action.changed)}"
    if action.tag_name:
        text += f" “{action.tag_name}”" if action.action == "tag" else f" (removed “{action.tag_name}”)"
    if action.action in CAMPAIGN_ACTIONS.values():
        role = next(role for role, name in CAMPAIGN_ACTIONS.items() if name == action.action)
        text += f" to “{action.campaign_name}” as {role_noun(role)}"
    return text


def describe_undo(action: BulkAction, reverted: int) -> str:
    """What an undo did, for its message: "Undone: 3 people taken off the targets of “Free …”"."""
    noun = selection.list_kind(action.kind).noun(reverted)
    role = next((role for role, name in CAMPAIGN_ACTIONS.items() if name == action.action), None)
    if role:
        return f"Undone: {noun} taken off the {role_noun(role)} of “{action.campaign_name}”."
    return f"Undone: {noun} put back as they were."


def tag_selection(user: User, kind_name: str, tag_name: str) -> BulkAction:
    """Give every selected record the tag (created if new); those that had it already are not changed."""
    kind = _taggable(kind_name)
    found = get_or_create_tags([tag_name])
    if not found:
        raise InvalidInput("Type the tag to add.", "tag")
    [(tag_id, name)] = found.values()
    action = _start(user, kind, "tag", tag_id=tag_id, tag_name=name)
    _record_items(action, kind, user, ~_has_tag(kind, tag_id))
    db.session.execute(insert(kind.tag_table).from_select([kind.tag_column.key, "tag_id"], _items(action, tag_id)))
    return _finish(action, kind, user)


def untag_selection(user: User, kind_name: str, tag_id: int) -> BulkAction:
    """Take the tag off every selected record that has it."""
    kind = _taggable(kind_name)
    tag = db.session.get(Tag, tag_id)
    if tag is None:
        raise InvalidInput("That tag no longer exists.", "tag_id")
    action = _start(user, kind, "untag", tag_id=tag.id, tag_name=tag.name)
    _record_items(action, kind, user, _has_tag(kind, tag.id))
    db.session.execute(
        delete(kind.tag_table).where(kind.tag_table.c.tag_id == tag.id, kind.tag_column.in_(_items(action)))
    )
    return _finish(action, kind, user)


def archive_selection(user: User, kind_name: str) -> BulkAction:
    """Archive every selected record not archived yet: hidden from lists, never deleted."""
    kind = selection.list_kind(kind_name)
    if not kind.archivable:
        raise InvalidInput(f"{kind.plural.capitalize()} cannot be archived.")
    action = _start(user, kind, "archive")
    _record_items(action, kind, user, kind.entity.archived.is_(False))
    _mark_changed(action, kind, user, archived=True)
    return _finish(action, kind, user)


def add_selection_to_campaign(user: User, campaign_id: int, role: str) -> BulkAction:
    """Make every selected person a target (or supporter) of the campaign; those who are already are
    left as they are. The memberships added carry the action's id, for its undo."""
    kind = selection.list_kind("people")
    campaign = get_campaign(campaign_id)
    check_role(role)
    action = _start(user, kind, CAMPAIGN_ACTIONS[role])
    action.campaign_id, action.campaign_name = campaign.id, campaign.name
    already = exists().where(
        CampaignMember.campaign_id == campaign.id, CampaignMember.role == role, CampaignMember.person_id == Person.id
    )
    _record_items(action, kind, user, ~already)
    columns = ["person_id", "campaign_id", "role", "note", "added_at", "added_by_id", "bulk_action_id"]
    rows = _items(action, campaign.id, role, "", utcnow(), user.id, action.id)
    db.session.execute(insert(CampaignMember).from_select(columns, rows))
    return _finish(action, kind, user)


def undo(action: BulkAction, *, actor: User | None) -> int:
    """Revert what `action` changed and is still as it left it; returns how many records were reverted."""
    if action.undone_at is not None:
        raise Conflict("This bulk action has already been undone.")
    kind = selection.list_kind(action.kind)
    if action.action in ("tag", "untag") and action.tag_id is None:
        raise Conflict(f"The tag “{action.tag_name}” has been deleted since; there is nothing to put back.")
    if action.action in CAMPAIGN_ACTIONS.values():
        added = select(CampaignMember.id).where(CampaignMember.bulk_action_id == action.id)
        count = _count(added)
        db.session.execute(delete(CampaignMember).where(CampaignMember.id.in_(added)))
    elif action.action == "tag":
        reverted = _in_items(action, kind, _has_tag(kind, action.tag_id))
        count = _count(reverted)  # before the change, which ends `reverted`'s condition
        _bump(reverted, kind, actor)
        db.session.execute(
            delete(kind.tag_table).where(kind.tag_table.c.tag_id == action.tag_id, kind.tag_column.in_(reverted))
        )
    elif action.action == "untag":
        reverted = _in_items(action, kind, ~_has_tag(kind, action.tag_id))
        count = _count(reverted)
        _bump(reverted, kind, actor)
        rows = reverted.add_columns(literal(action.tag_id))
        db.session.execute(insert(kind.tag_table).from_select([kind.tag_column.key, "tag_id"], rows))
    else:
        reverted = _in_items(action, kind, kind.entity.archived.is_(True))
        count = _count(reverted)
        _bump(reverted, kind, actor, archived=False)
    action.undone_at = utcnow()
    action.undone_by_id = actor.id if actor else None
    db.session.flush()
    db.session.expire_all()
    report_data_changed()
    audit.record("bulk_action", action.id, "undo", {"reverted": [None, count]}, actor=actor)
    return count


def _taggable(kind_name: str) -> ListKind:
    kind = selection.list_kind(kind_name)
    if kind.tag_table is None:
        raise InvalidInput(f"{kind.plural.capitalize()} have no tags.")
    return kind


def _has_tag(kind: ListKind, tag_id: int):
    return exists().where(kind.tag_column == kind.entity.id, kind.tag_table.c.tag_id == tag_id)


def _start(user: User, kind: ListKind, name: str, *, tag_id: int | None = None, tag_name: str = "") -> BulkAction:
    selected = selection.count(user.id, kind.name)
    if not selected:
        raise InvalidInput(f"No {kind.plural} are selected.")
    action = BulkAction(
        actor_id=user.id, kind=kind.name, action=name, tag_id=tag_id, tag_name=tag_name, selected=selected
    )
    db.session.add(action)
    db.session.flush()
    return action


def _record_items(action: BulkAction, kind: ListKind, user: User, condition) -> None:
    """The selected records `condition` holds for: those the action is about to change."""
    rows = selection.selected_ids(user.id, kind.name).with_only_columns(literal(action.id), kind.entity.id)
    db.session.execute(insert(BulkActionItem).from_select(["action_id", "item_id"], rows.where(condition)))


def _items(action: BulkAction, *extra) -> Select:
    return select(BulkActionItem.item_id, *(literal(value) for value in extra)).where(
        BulkActionItem.action_id == action.id
    )


def _in_items(action: BulkAction, kind: ListKind, condition) -> Select:
    """The action's records for which `condition` still holds (what an undo may revert)."""
    return select(kind.entity.id).where(kind.entity.id.in_(_items(action)), condition)


def _mark_changed(action: BulkAction, kind: ListKind, user: User, **values) -> None:
    _bump(_items(action), kind, user, **values)


def _bump(ids: Select, kind: ListKind, actor: User | None, **values) -> None:
    """A new version for the records of `ids`, with `values` set, in one UPDATE."""
    table = kind.entity.__table__
    db.session.execute(
        update(table)
        .where(table.c.id.in_(ids))
        .values(version=table.c.version + 1, updated_at=utcnow(), updated_by_id=actor.id if actor else None, **values)
    )


def _count(ids: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def _finish(action: BulkAction, kind: ListKind, user: User) -> BulkAction:
    action.changed = db.session.scalar(
        select(func.count()).select_from(BulkActionItem).where(BulkActionItem.action_id == action.id)
    )
    if action.action in ("tag", "untag"):
        _bump(_items(action), kind, user)
    db.session.flush()
    db.session.expire_all()  # the records changed under the ORM's feet: read again when next used
    report_data_changed()
    changes = {"list": [None, kind.plural], "selected": [None, action.selected], "changed": [None, action.changed]}
    if action.tag_name:
        changes["tag"] = [None, action.tag_name]
    if action.campaign_name:
        changes["campaign"] = [None, action.campaign_name]
    audit.record("bulk_action", action.id, action.action, changes, actor=user)
    return action


def tags_in_selection(user: User, kind_name: str) -> list[tuple[int, str, int]]:
    """(tag id, name, how many selected records have it), for the untag form."""
    kind = _taggable(kind_name)
    column = kind.tag_column
    rows = db.session.execute(
        select(Tag.id, Tag.name, func.count())
        .join(kind.tag_table, kind.tag_table.c.tag_id == Tag.id)
        .where(column.in_(selection.selected_ids(user.id, kind.name)))
        .group_by(Tag.id, Tag.name, Tag.key)
        .order_by(Tag.key)
    )
    return [tuple(row) for row in rows]
