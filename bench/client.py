"""A small HTTP client for the benchmarks (stdlib only): one keep-alive connection and one cookie
jar per learner, the CSRF token read from the page, and each request timed."""

import http.client
import math
import re
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

USER_AGENT = "casom-bench"
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    status: int
    location: str
    body: str
    seconds: float
    headers: object = None


class Session:
    """One browser: cookies kept between requests, redirects not followed (their time is the
    next request's)."""

    def __init__(self, host, port, timeout=120):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = {}
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, form=None, headers=None):
        body = urlencode(form, doseq=True) if form is not None else None
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        for retry in (False, True):
            if self.connection is None:
                self._connect()
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if retry:
                    raise
                continue
            seconds = time.perf_counter() - started
            self._keep_cookies(response)
            location = urlsplit(response.getheader("Location") or "").path
            return Reply(response.status, location, data.decode("utf-8", "replace"), seconds, response.headers)
        raise AssertionError("unreachable")

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, form, headers=None):
        return self.request("POST", path, form=form, headers=headers)

    def _keep_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or ():
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            expired = "max-age=0" in attributes.lower() or "expires=thu, 01 jan 1970" in attributes.lower()
            if expired or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def login(self, email, password):
        """Log in through the real form (CSRF token included); raises unless the app redirects
        away from the login page."""
        page = self.get("/login")
        reply = self.post("/login", {"csrf_token": csrf_token(page.body), "email": email, "password": password})
        if reply.status != 302 or reply.location.startswith("/login"):
            raise RuntimeError(f"login of {email} failed: HTTP {reply.status} -> {reply.location or 'no redirect'}")
        return reply


def csrf_token(html):
    match = _CSRF.search(html)
    if match is None:
        raise RuntimeError("no csrf_token field on the page")
    return match.group(1)


def percentile(values, percent):
    """The nearest-rank percentile of `values` (seconds), or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
