"""Advocacy CRM: contacts, campaigns and outreach for human-rights campaigners."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

from crm.config import Config

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


# The features in their order (tests/test_feature_order.py). Each package's init_app registers what
# it brings: its blueprint, its background jobs, its `flask crm` commands.
FEATURES = (
    "auth",
    "audit",
    "taxonomy",
    "contacts",
    "salutations",
    "campaigns",
    "outreach",
    "duplicates",
    "imports",
    "exports",
    "reports",
    "agenda",
    "mailing",
    "letters",
    "mailbox",
    "privacy",
    "selections",
    "home",
    "backup",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    # Every file the app creates (the SQLite database, uploads, attachments, previews, the queue)
    # is its owner's alone: the data is about people at risk.
    os.umask(0o077)
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_mapping(Config(config).as_dict())
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    import crm.models  # noqa: F401  (every table known to create_all and Alembic)
    from crm import data_version, jobs
    from crm.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    jobs.init_app(app)  # the queue; features register their jobs on it
    data_version.init_app(app)  # a commit that changed report data moves the version on


def register_features(app: Flask) -> None:
    for name in FEATURES:
        import_module(f"crm.{name}").init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from crm import http_errors, http_security

    http_errors.init_app(app)
    http_security.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from crm.template_helpers import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    # The one `crm` group; the features' cli modules have added their commands to it.
    from crm.cli import crm_cli

    app.cli.add_command(crm_cli)
