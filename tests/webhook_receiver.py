"""A bank's receiver, for tests: a real HTTP server on 127.0.0.1 that records what it
is sent and answers with the status codes it is told to (then 200)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def document(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    failures_left: int = 0  # answer 503 to this many requests first
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(default=None)

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    def events(self, event_type: str | None = None) -> list[dict]:
        with self.lock:
            documents = [r.document for r in self.received]
        return [d for d in documents if event_type is None or d["type"] == event_type]

    def wait_for(self, event_type: str, timeout: float = 10.0) -> dict:
        """The first event of this type, waiting for it to arrive (a live server's)."""
        with self.arrived:
            found = self.arrived.wait_for(
                lambda: any(json.loads(r.body)["type"] == event_type for r in self.received),
                timeout=timeout,
            )
        assert found, f"no {event_type} event arrived within {timeout} s"
        return self.events(event_type)[0]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.arrived:
                failing = receiver.failures_left > 0
                if failing:
                    receiver.failures_left -= 1
                else:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    receiver.arrived.notify_all()
            self.send_response(503 if failing else 200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
