"""Advocacy CRM: contacts, campaigns and outreach for human-rights campaigners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from crm.config import Config

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_mapping(Config(config).as_dict())
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    import crm.models  # noqa: F401  (every table known to create_all and Alembic)
    from crm.audit import service as audit
    from crm.auth import access
    from crm.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    access.init_app(app)
    audit.init_app(app)


def register_blueprints(app: Flask) -> None:
    # Importing a feature's view modules registers their routes on its blueprint.
    from crm.auth import views as auth_views
    from crm.campaigns import views as campaign_views
    from crm.contacts import organisation_views, person_views, role_views
    from crm.duplicates import views as duplicate_views
    from crm.exports import views as export_views
    from crm.home import views as home_views
    from crm.imports import views as import_views
    from crm.outreach import views as outreach_views
    from crm.reports import views as report_views
    from crm.taxonomy import views as taxonomy_views

    modules = (
        auth_views,
        campaign_views,
        organisation_views,
        person_views,
        role_views,
        duplicate_views,
        export_views,
        home_views,
        import_views,
        outreach_views,
        report_views,
        taxonomy_views,
    )
    for blueprint in {module.bp for module in modules}:
        app.register_blueprint(blueprint)


def register_jobs(app: Flask) -> None:
    from crm import jobs
    from crm.duplicates import jobs as duplicate_jobs
    from crm.imports import jobs as import_jobs

    jobs.init_app(app)
    import_jobs.init_app(app)
    duplicate_jobs.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from crm.http_errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    from crm.template_helpers import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    # Each feature's cli module adds its commands to the one `crm` group.
    import crm.duplicates.cli
    import crm.exports.cli
    import crm.imports.cli  # noqa: F401
    from crm.cli import crm_cli

    app.cli.add_command(crm_cli)
