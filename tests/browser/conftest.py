"""Real-browser fixtures: the app served over HTTP on a free local port (real forms with CSRF, its
own SQLite file holding the fixture curriculum), Debian's Chromium driven by Playwright, a seeder
that sets up learner states through the domain operations, and a screenshot in test-artifacts/
for every browser test that fails."""

import logging
import os
import re
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.seeding import Seeder
from tests.conftest import FIXTURE_CURRICULUM, _TestConfig

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
ACTION_TIMEOUT_MS = 10_000

_DATABASE_PATH = Path(tempfile.gettempdir()) / f"lms-browser-{os.getpid()}-{uuid.uuid4().hex[:8]}.sqlite3"


class BrowserConfig(_TestConfig):
    """The testing config with CSRF and staff two-step verification on, as in production, on a
    file the server threads share."""

    WTF_CSRF_ENABLED = True
    MFA_ENFORCED = True
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{_DATABASE_PATH}"
    # One address registers and logs in dozens of times here; the limits have their own tests.
    REGISTER_LIMIT = "1000 per hour"
    LOGIN_LIMIT = "1000 per minute"
    VERIFY_LIMIT = "1000 per minute"
    MFA_LIMIT = "1000 per minute"
    # Mail configured, with no server listening: the pages that send show what they show when a
    # message could not go, and nothing leaves the machine.
    MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS = "127.0.0.1", 9, False


@dataclass
class Site:
    """The running server: its address, its app and a seeder writing to its database."""

    url: str
    app: Flask
    seed: Seeder


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _ServerErrors(logging.Handler):
    """Collects errors the app logs (unexpected exceptions), so a test cannot pass over a 500."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


_server_errors = _ServerErrors()
_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def chromium_path():
    """Debian's Chromium; a missing one skips on a developer's machine and fails in CI."""
    if not CHROMIUM.exists():
        message = (f"Chromium is not installed at {CHROMIUM}, so the browser tests cannot run. "
                   "Install it with `apt-get install chromium` (Playwright never downloads a browser here).")
        if os.environ.get("CI"):
            pytest.fail(message + " CI must run them.", pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="package")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def site(chromium_path):
    """The app on a real threaded server at 127.0.0.1:<free port>, with a fresh database."""
    from lms import create_app
    from lms.curricula.loader import load_all
    from lms.curricula.operations import import_curricula
    from lms.extensions import db, limiter
    from lms.learning.queries import clear_outline_cache

    app = create_app(BrowserConfig)
    with app.app_context():
        db.drop_all()
        db.create_all()
        import_curricula(load_all(FIXTURE_CURRICULUM))
        db.session.commit()
    # The outline cache and the limiter are process-wide; the rest of the suite shares them.
    clear_outline_cache()
    limiter.reset()
    app.logger.addHandler(_server_errors)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield Site(url=f"http://127.0.0.1:{server.server_port}", app=app, seed=Seeder(app))
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.logger.removeHandler(_server_errors)
        with app.app_context():
            db.engine.dispose()
        clear_outline_cache()
        limiter.reset()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{_DATABASE_PATH}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _no_server_errors():
    _server_errors.records.clear()
    yield
    if _server_errors.records:
        pytest.fail("The server logged errors during this test:\n" + "\n\n".join(_server_errors.records),
                    pytrace=False)


@pytest.fixture
def open_page(browser, site, request):
    """open_page(javascript=True, width=1280, height=800): a page in a fresh browser context
    (no cookies) whose relative URLs resolve against the server."""
    contexts = []

    def open_(javascript=True, width=DEFAULT_VIEWPORT["width"], height=DEFAULT_VIEWPORT["height"]):
        context = browser.new_context(base_url=site.url, java_script_enabled=javascript,
                                      viewport={"width": width, "height": height})
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is not None and report.failed:
        _save_screenshots(request.node.nodeid, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


def _save_screenshots(nodeid, contexts):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    pages = [page for context in contexts for page in context.pages]
    for number, page in enumerate(pages, start=1):
        suffix = f"-{number}" if len(pages) > 1 else ""
        path = ARTIFACTS / f"{stem}{suffix}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # noqa: BLE001 - a screenshot must never hide the real failure
            print(f"Could not save a screenshot of {page.url}: {error}")
        else:
            print(f"Screenshot of {page.url} saved to {path}")
