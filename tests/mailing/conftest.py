from __future__ import annotations

import pytest

from crm.extensions import db
from crm.mailing import throttle
from crm.salutations.service import ensure_default_salutations
from tests.mailing import smtp_server


@pytest.fixture(autouse=True)
def default_salutations(app):
    """What migration 0016 puts in a new database (each test starts from emptied tables)."""
    ensure_default_salutations()
    db.session.commit()


@pytest.fixture
def clock(monkeypatch):
    """The sending's clock and sleep, replaced: a wait moves the clock on at once and is counted."""

    class FakeClock:
        now = 1000.0
        sleeps: list[float] = []

        def time(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)
            self.now += seconds

    fake = FakeClock()
    fake.sleeps = []
    monkeypatch.setattr(throttle, "clock", fake.time)
    monkeypatch.setattr(throttle, "sleep", fake.sleep)
    return fake


@pytest.fixture
def smtp(app, clock):
    """A real SMTP server the app sends to (CRM_MAIL_URL pointing at it)."""
    recorder = smtp_server.Recorder()
    controller = smtp_server.start(recorder)
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app.config["MAIL_FROM"] = "campaigns@freedom.example.org"
    yield recorder
    controller.stop()
