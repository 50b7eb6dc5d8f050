"""A loopback HTTP server for the download tests: serves payloads by path, can cut a response
short or ignore Range, and logs what it was asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server:
    """Serves `payloads[path]`; `cut_after` cuts the next response after that many bytes,
    `honour_range = False` answers every request whole, `content_type` sets that header."""

    def __init__(self, payloads: dict[str, bytes]) -> None:
        self.payloads = payloads
        self.cut_after: int | None = None
        self.honour_range = True
        self.content_type = "application/octet-stream"
        self.ranges: list[str | None] = []
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                wanted = self.headers.get("Range")
                server.ranges.append(wanted)
                server.paths.append(self.path)
                payload = server.payloads.get(self.path)
                if payload is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                start = 0
                if wanted and server.honour_range:
                    start = int(wanted.removeprefix("bytes=").rstrip("-"))
                    if start >= len(payload):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                else:
                    self.send_response(200)
                body = payload[start:]
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", server.content_type)
                self.end_headers()
                if server.cut_after is not None:
                    self.wfile.write(body[: server.cut_after])
                    server.cut_after = None
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serving(payloads: dict[str, bytes]) -> Iterator[Server]:
    served = Server(payloads)
    thread = threading.Thread(target=served.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.httpd.shutdown()
        served.httpd.server_close()
        thread.join(timeout=5)
