"""Backups: one archive of every table and data file, taken while the app runs, restored into an
empty database of either kind (how a laptop's SQLite moves to the team's PostgreSQL).

- `contents`: what is in a backup (every table, the data folders) and what is left out, and why.
- `columns`: values as database-independent JSON, one kind per column.
- `archive`: the zip and its manifest; reading checks every member before a restore writes.
- `take`: the backup, read in one snapshot.   `restore`: the restore, in one transaction.
- `target`: whether a database may take a restore.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """`crm backup` and `crm restore`."""
    from crm.backup import cli  # noqa: F401  (importing it registers the commands)
