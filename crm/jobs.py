"""Background jobs (Huey): an embedded SQLite queue by default, Redis in the team deployment.

CRM_JOBS_URL picks the broker: unset → instance/jobs.sqlite3, "redis://host:6379/0" → Redis.
`flask --app wsgi crm worker` runs the consumer; `make run` starts it beside the web server.
With JOBS_IMMEDIATE (tests) a job runs at once in the calling thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey


def init_app(app: Flask) -> None:
    app.extensions["huey"] = _make_huey(app)
    app.extensions["jobs"] = {}


def _make_huey(app: Flask) -> Huey:
    if app.config.get("JOBS_IMMEDIATE"):
        return MemoryHuey("crm", immediate=True)
    url = app.config.get("JOBS_URL") or ""
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("crm", url=url)
    path = url.removeprefix("sqlite:///") if url else str(Path(app.config["INSTANCE_DIR"]) / "jobs.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("crm", filename=path)


def register(app: Flask, name: str, function: Callable[..., Any]) -> None:
    """Make `function(*args)` a job of this app; it runs inside an app context."""

    def in_app_context(*args: Any) -> Any:
        with app.app_context():
            return function(*args)

    in_app_context.__name__ = name
    app.extensions["jobs"][name] = app.extensions["huey"].task(name=name)(in_app_context)


def enqueue(name: str, *args: Any) -> None:
    current_app.extensions["jobs"][name](*args)


def huey(app: Flask) -> Huey:
    return app.extensions["huey"]
