"""A real SMTP server (aiosmtpd) on a free port that keeps what it receives."""

import email
import re
import socket

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.handler = _Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages

    def links(self) -> list[str]:
        found = []
        for message in self.messages:
            body = message.get_payload(decode=True).decode()
            found.extend(re.findall(r"https?://\S+", body))
        return found
