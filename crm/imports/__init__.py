"""Spreadsheet import: read → find the header → map → normalise → validate → match → apply.

Each stage is a plain module that knows nothing of HTTP, so the web wizard, the CLI and
the API all run the same code:

- `read` (a package): a file on disk → `Sheet` of `RawRow`s (streamed), or `UnreadableFile`.
- `header`: the first rows → `HeaderGuess` (which row holds the labels), and which rows are
  not people at all (blank, totals, notes, a repeated header).
- `mapping`, `labels`, `presets`: which column holds which field (`fields`).
- `clean` (a package): a row's cells → clean values and `Problem`s (`results`).
- `validate`, `matching`, then `apply` (the `Writer`): checks, who the row is, the writes.
- `stages` and `pipeline` run them in order; `views`, `cli` and the jobs call `pipeline`.
- `runs`: the wizard's steps on an `ImportRun` (one uploaded file and what importing it did, which
  undo reverts); `previews`: its background dry run.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its wizard, its background jobs and `crm import` / `crm undo-import`."""
    from crm.imports import cli, jobs, touched, views  # noqa: F401  (importing cli and views registers them)

    jobs.init_app(app)
    touched.init_app()
    app.register_blueprint(views.bp)
