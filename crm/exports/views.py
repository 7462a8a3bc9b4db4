"""Export downloads: every list as .xlsx or .csv with the list's own query string.

Each list has one address and endpoint per format: `/export/people.xlsx` is
url_for("exports.people_xlsx", **request.args), `/export/people.csv` "exports.people_csv".
(Endpoints without URL arguments: the route audit test builds every URL from fixed records.)
Signing in is required by the global check in crm.auth.access; viewers may export,
as they may read every list.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial, update_wrapper

from flask import Response, request, send_file, stream_with_context
from flask_login import current_user

from crm.contacts.search import PeopleFilter
from crm.exports import service
from crm.exports.blueprint import bp
from crm.exports.organisation_rows import organisation_filter_from_args
from crm.exports.template import write_template
from crm.extensions import db
from crm.ids import optional_int
from crm.outreach.search import OutreachFilter
from crm.spreadsheets import csv as csv_format
from crm.spreadsheets.formats import MIMETYPE as XLSX_MIMETYPE
from crm.timeutil import today

MIMETYPES = {"xlsx": XLSX_MIMETYPE, "csv": csv_format.MIMETYPE}


def _routes(name: str):
    """Register view(fmt) as /<name>.xlsx (endpoint <name>_xlsx) and /<name>.csv (<name>_csv)."""

    def decorator(view):
        for fmt in service.FORMATS:
            # A named view: Flask-WTF's CSRF check reads __module__ and __name__ on every request.
            view_func = update_wrapper(partial(view, fmt), view)
            bp.add_url_rule(f"/{name}.{fmt}", endpoint=f"{name}_{fmt}", view_func=view_func)
        return view

    return decorator


def _download(kind: str, fmt: str, *, filters, campaign_id: int | None = None) -> Response:
    chunks = service.stream(
        kind, fmt, actor=current_user._get_current_object(), filters=filters, campaign_id=campaign_id
    )
    response = Response(stream_with_context(_committed(chunks)), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{kind}-{today().isoformat()}.{fmt}"'
    # Personal data: no caches on the way, and no proxy buffering that would hold the stream back.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _committed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The view's commit, for a response whose audit entry is written after its last byte."""
    try:
        yield from chunks
    finally:
        db.session.commit()


@_routes("people")
def people(fmt: str):
    return _download(
        "people",
        fmt,
        filters=PeopleFilter.from_args(request.args),
        campaign_id=optional_int(request.args.get("campaign_id")),
    )


@_routes("organisations")
def organisations(fmt: str):
    return _download(
        "organisations",
        fmt,
        filters=organisation_filter_from_args(request.args),
        campaign_id=optional_int(request.args.get("campaign_id")),
    )


@_routes("outreach")
def outreach(fmt: str):
    return _download("outreach", fmt, filters=OutreachFilter.from_args(request.args))


@_routes("responses")
def responses(fmt: str):
    return _download("responses", fmt, filters=OutreachFilter.from_args(request.args))


@bp.route("/template.xlsx")
def template():
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name="people-import-template.xlsx")
