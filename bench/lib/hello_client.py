"""A keep-alive HTTP/1.1 client that sends GET (/ by default) and reads exactly one response per request.

Used to check that a server answers `hello world` before it is measured, and as the load for
callgrind mode (where only the server runs under valgrind, so a slow client is fine).
Stdlib only.
"""

import os
import socket

REQUEST_TEMPLATE = "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: sluice-bench\r\n{extra}\r\n"
# run.sh --policy: every request carries this Authorization value (the JWT the policy variant
# checks; the other servers ignore it), as wrk's requests do.
AUTHORIZATION = os.environ.get("BENCH_AUTHORIZATION", "")
MAX_HEAD = 16384


class ResponseError(Exception):
    """The server sent something that is not a complete, well-formed HTTP/1.1 response."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (lower-case name, value) as text
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key == name:
                return value
        return None


class KeepAliveClient:
    """One TCP connection; `get()` sends one request (GET path) and returns one response."""

    def __init__(self, port, host="127.0.0.1", timeout=30.0, path="/"):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        extra = f"Authorization: {AUTHORIZATION}\r\n" if AUTHORIZATION else ""
        self.request = REQUEST_TEMPLATE.format(path=path, port=port, extra=extra).encode("ascii")
        self.buffer = bytearray()

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ResponseError("connection closed by the server mid-response "
                                f"({len(self.buffer)} bytes buffered)")
        self.buffer += chunk

    def get(self):
        self.sock.sendall(self.request)
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self.buffer) > MAX_HEAD:
                raise ResponseError("response head longer than %d bytes" % MAX_HEAD)
            self._fill()
        head = bytes(self.buffer[:end]).decode("latin-1")
        del self.buffer[:end + 4]
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ResponseError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise ResponseError(f"bad header line {line!r}")
            headers.append((name.strip().lower(), value.strip()))
        response = Response(status, headers, b"")
        length = response.header("content-length")
        if length is None or not length.isdigit():
            raise ResponseError("response without a Content-Length (chunked or close-delimited "
                                f"responses are not supported by this client): {head!r}")
        length = int(length)
        while len(self.buffer) < length:
            self._fill()
        response.body = bytes(self.buffer[:length])
        del self.buffer[:length]
        return response
