"""Throw-away mail servers for mail_bench.py: a Dovecot IMAP server and an SMTP server that counts.

Dovecot is the tests' (tests/dovecot_server.py); the SMTP
server is aiosmtpd on a free port, accepting every message and keeping only a count. Both are context
managers that stop their server on the way out, whatever ended the block."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from tests import dovecot_server

free_port = dovecot_server.free_port


@contextlib.contextmanager
def dovecot() -> Iterator[str]:
    """tests/dovecot_server.py's Dovecot; a bench without it stops with one line."""
    if not dovecot_server.DOVECOT.exists():
        raise SystemExit(
            f"{dovecot_server.DOVECOT} is missing: the bench needs Debian's dovecot-imapd (`make mailserver`)."
        )
    with dovecot_server.running() as url:
        yield url


class Counter:
    """An aiosmtpd handler that accepts every message and counts it."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
            self.bytes += len(envelope.original_content or envelope.content or b"")
        return "250 Message accepted for delivery"

    def reset(self) -> None:
        with self._lock:
            self.count = self.bytes = 0


@contextlib.contextmanager
def counting_smtp() -> Iterator[tuple[int, Counter]]:
    """An SMTP server on a free loopback port: yields (port, counter); stopped afterwards."""
    from aiosmtpd.controller import Controller

    counter = Counter()
    # data_size_limit off: a count is all it keeps; 10 MB messages would be refused otherwise.
    controller = Controller(counter, hostname="127.0.0.1", port=free_port(), data_size_limit=None)
    controller.start()
    try:
        yield controller.port, counter
    finally:
        controller.stop()
