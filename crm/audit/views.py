"""The audit viewer (admins): the filtered log, a page at a time, and the same list as .xlsx or .csv."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, render_template, request, stream_with_context, url_for
from flask_login import current_user

from crm.audit import service as audit
from crm.audit import viewer
from crm.audit.blueprint import bp
from crm.auth.access import role_required
from crm.extensions import db
from crm.ids import db_int
from crm.spreadsheets import csv as csv_format
from crm.spreadsheets.formats import MIMETYPE as XLSX_MIMETYPE
from crm.spreadsheets.xlsx_stream import xlsx_chunks
from crm.template_helpers import field_label, format_value
from crm.timeutil import today

# Record types whose page the list links to, and the page's endpoint and id argument.
RECORD_PAGES = {
    "person": ("contacts.person_detail", "person_id"),
    "organisation": ("contacts.organisation_detail", "organisation_id"),
    "campaign": ("campaigns.campaign_detail", "campaign_id"),
    "outreach": ("outreach.outreach_detail", "outreach_id"),
    "bulk_action": ("selections.action_detail", "action_id"),  # what it did, and its undo
}
WRITERS = {"xlsx": (xlsx_chunks, XLSX_MIMETYPE), "csv": (csv_format.csv_chunks, csv_format.MIMETYPE)}


@bp.route("/audit")
@role_required("admin")
def entries():
    filters = viewer.AuditFilter.from_args(request.args)
    page = viewer.audit_page(filters, page=request.args.get("page", 1, type=db_int))
    return render_template(
        "audit/entries.html",
        filters=filters,
        page=page,
        staff=viewer.staff_choices(),
        entity_types=viewer.entity_types(),
        actions=viewer.actions(),
        record_urls={entry.id: _record_url(entry.entity_type, entry.entity_id) for entry in page.items},
        export_args=filters.as_args(),
    )


def _record_url(entity_type: str, entity_id: int) -> str | None:
    if entity_type not in RECORD_PAGES or not entity_id:
        return None
    endpoint, argument = RECORD_PAGES[entity_type]
    return url_for(endpoint, **{argument: entity_id})


def _in_words(action: str, changes: dict | None) -> str:
    """An entry's changes as its history card shows them: field names and values in words."""
    return viewer.describe_changes(action, changes, label=field_label, text=format_value)


def _export(fmt: str) -> Response:
    filters = viewer.AuditFilter.from_args(request.args)
    table = viewer.audit_table(filters, describe=_in_words)
    write, mimetype = WRITERS[fmt]
    actor = current_user._get_current_object()

    def chunks() -> Iterator[bytes]:
        yield from write(table)
        # Reading the log is itself an export of personal data: recorded once the file is complete.
        changes = {"format": [None, fmt], "rows": [None, table.written], "filters": [None, filters.as_args()]}
        audit.record("export", 0, "audit log", changes, actor=actor)
        db.session.commit()

    response = Response(stream_with_context(chunks()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="audit-log-{today().isoformat()}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/audit.xlsx")
@role_required("admin")
def export_xlsx():
    return _export("xlsx")


@bp.route("/audit.csv")
@role_required("admin")
def export_csv():
    return _export("csv")
