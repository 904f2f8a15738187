"""A small HTTP/1.1 client that behaves like a browser behind the TLS-terminating proxy.

Raw sockets, so the client spends as little CPU as possible on this 2-core machine; one connection
per browser, kept open while the server allows (gunicorn's sync workers close it after every
request). Each Browser is one session: its own
cookies (session, csrftoken, language), the CSRF token read from the form it submits, and on every
POST the headers a browser sends under `Referrer-Policy: no-referrer`: no Referer,
`Sec-Fetch-Site: same-origin` and the page's Origin. Every request carries `X-Forwarded-Proto: https`,
as the proxy in front of gunicorn sets it (production settings: SSL redirect on, secure cookies).
Loopback only: the host is always 127.0.0.1.
"""

import html
import re
import socket
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

FORM_START = '<form method="post"'
INPUT = re.compile(r"<(input|textarea|button)\b([^>]*)>", re.S)
ATTR = re.compile(r"([\w-]+)=\"([^\"]*)\"")
TOKEN = re.compile(r"name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"")


class HTTPError(Exception):
    pass


class Response:
    __slots__ = ("status", "headers", "body", "elapsed")

    def __init__(self, status, headers, body, elapsed):
        self.status, self.headers, self.body, self.elapsed = status, headers, body, elapsed

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None


def _dechunk(body: bytes) -> bytes:
    out, index = bytearray(), 0
    while True:
        end = body.index(b"\r\n", index)
        size = int(body[index:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        index = end + 2 + size + 2


class _Closed(Exception):
    """The server closed the connection before a whole response arrived."""

    def __init__(self, received: bool):
        super().__init__("connection closed before the whole response")
        self.received = received


class Connection:
    """One HTTP/1.1 connection to 127.0.0.1:port, kept open between requests while the server
    allows it, as a browser keeps its connection (gunicorn's sync workers answer `Connection:
    close` to every request, so with them this opens one connection per request). A response is
    read up to its Content-Length (or the last chunk), so the client closes as soon as it has it."""

    def __init__(self, port: int):
        self.port = port
        self.sock = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def _recv(self, received: bool) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise _Closed(received)
        self.buffer += chunk

    def request(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes = b"") -> "Response":
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            reused = self.sock is not None
            if not reused:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            start = time.perf_counter()
            try:
                self.sock.sendall(data)
                response = self._read(method, path)
            except (_Closed, ConnectionError) as exc:
                self.close()
                # A kept-alive connection the server closed before answering: send again on a new
                # one, as browsers do (nothing of a response arrived, so nothing was processed).
                if reused and attempt == 1 and not getattr(exc, "received", False):
                    continue
                raise HTTPError(f"{method} {path}: {exc}") from exc
            response.elapsed = time.perf_counter() - start
            if response.header("connection") == "close":
                self.close()
            return response
        raise AssertionError("unreachable")

    def _read(self, method: str, path: str) -> "Response":
        while b"\r\n\r\n" not in self.buffer:
            self._recv(bool(self.buffer))
        head_bytes, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/"):
            raise HTTPError(f"{method} {path}: no HTTP response")
        status = int(lines[0].split(" ", 2)[1])
        parsed = []
        for line in lines[1:]:
            key, _, value = line.partition(":")
            parsed.append((key.strip().lower(), value.strip()))
        fields = dict(parsed)
        if "content-length" in fields:
            length = int(fields["content-length"])
            while len(self.buffer) < length:
                self._recv(True)
            payload, self.buffer = self.buffer[:length], self.buffer[length:]
        elif fields.get("transfer-encoding") == "chunked":
            while not self.buffer.endswith(b"0\r\n\r\n"):
                self._recv(True)
            payload, self.buffer = _dechunk(self.buffer), b""
        else:  # delimited by the end of the connection
            try:
                while True:
                    self._recv(True)
            except _Closed:
                pass
            payload = self.buffer
            self.close()
        return Response(status, parsed, payload, 0.0)


def main_form(page: str) -> str | None:
    """The inside of the page's first <form method="post" ...> (found with str.find: a lazy regex
    over a whole theme page cost the client more than the rest of its parsing)."""
    start = page.find(FORM_START)
    if start < 0:
        return None
    start = page.find(">", start) + 1
    end = page.find("</form>", start)
    return page[start:end] if start and end >= 0 else None


def form_fields(page: str) -> list[tuple[str, str, str, str]]:
    """(tag, type, name, value) of every control in the page's main form (<form method="post" ...>)."""
    found = main_form(page)
    if found is None:
        raise HTTPError("no form on the page")
    fields = []
    for tag, attributes in INPUT.findall(found):
        attrs = dict(ATTR.findall(attributes))
        if "name" in attrs:
            fields.append((tag, attrs.get("type", tag), attrs["name"], html.unescape(attrs.get("value", ""))))
    return fields


def csrf_token(page: str) -> str:
    found = main_form(page)
    match = TOKEN.search(found if found is not None else page)
    if not match:
        raise HTTPError("no CSRF token on the page")
    return match.group(1)


class Browser:
    """One browser session against gunicorn on 127.0.0.1:port."""

    def __init__(self, port: int, language: str = "nl"):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.connection = Connection(port)
        self.base_headers = [
            ("User-Agent", "Mozilla/5.0 (zelfscan-bench)"),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Accept-Language", f"{language},en;q=0.5"),
            ("X-Forwarded-Proto", "https"),
        ]

    def _headers(self, post: bool) -> list[tuple[str, str]]:
        headers = list(self.base_headers)
        if self.cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())))
        if post:
            headers += [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", self.origin),
                ("Sec-Fetch-Site", "same-origin"),
                ("Sec-Fetch-Mode", "navigate"),
            ]
        else:
            headers.append(("Sec-Fetch-Site", "same-origin"))
        return headers

    def _remember(self, response: Response) -> None:
        for key, value in response.headers:
            if key == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        response = self.connection.request("GET", path, self._headers(post=False))
        self._remember(response)
        return response

    def post(self, path: str, fields: list[tuple[str, str]]) -> Response:
        body = urlencode(fields).encode("ascii")
        response = self.connection.request("POST", path, self._headers(post=True), body)
        self._remember(response)
        return response


def location_path(response: Response) -> str:
    location = response.header("location")
    if not location:
        raise HTTPError(f"expected a redirect, got {response.status}")
    return urlsplit(location).path
