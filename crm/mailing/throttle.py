"""At most CRM_MAIL_PER_MINUTE messages a minute: a provider's relay refuses, or worse marks as spam, more.

`clock` and `sleep` are looked up at call time, so a test replaces them and counts instead of waiting."""

from __future__ import annotations

import time

clock = time.monotonic
sleep = time.sleep


class Throttle:
    """Spaces the messages evenly: one every 60/N seconds, the first at once."""

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / max(1, per_minute)
        self._next: float | None = None

    def wait(self) -> None:
        now = clock()
        if self._next is not None and now < self._next:
            sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


def pause(seconds: float) -> None:
    """A back-off before trying a message again."""
    sleep(seconds)
