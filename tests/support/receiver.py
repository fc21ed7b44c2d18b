"""A real HTTP receiver for webhook deliveries (http.server in a thread, on 127.0.0.1)."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: str


@dataclass
class Receiver:
    """Answers with `statuses` in turn (the last one repeats); `delay` seconds before answering."""

    statuses: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    response_body: str = '{"ok": true}'
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                receiver.requests.append(Received(self.command, self.path, dict(self.headers), body))
                index = min(len(receiver.requests) - 1, len(receiver.statuses) - 1)
                if receiver.delay:
                    time.sleep(receiver.delay)
                payload = receiver.response_body.encode()
                try:
                    self.send_response(receiver.statuses[index])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_POST = do_PUT = do_GET = do_PATCH = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
