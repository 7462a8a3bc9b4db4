"""A real SMTP server for the tests (aiosmtpd on a free port), recording what it accepted.

`refuse` maps an address to the answer its RCPT gets ("550 5.1.1 …"); `data_answers` are the answers
the next DATA commands get before the server accepts again ("451 4.3.0 …")."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    data_answers: list[str] = field(default_factory=list)
    on_data: list = field(default_factory=list)  # callables run as each message arrives (a test's clock)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for hook in self.on_data:
                hook()
            if self.data_answers:
                return self.data_answers.pop(0)
            message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def start(recorder: Recorder, **options) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller
