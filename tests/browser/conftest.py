"""Browser tests: the app served from a thread on a free loopback port, driven by Playwright
in Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import threading

import pytest
from sqlmodel import Session
from werkzeug.serving import make_server

from app import create_app
from app.db import make_engine
from app.services.demo.data import load_demo_data
from tests.databases import BACKENDS, fresh_database, missing_part

CHROMIUM = "/usr/bin/chromium"
#: The served app's secret, so tests can make signed links (set-password) for it.
LIVE_SECRET_KEY = "browser-tests-secret-key-0123456789abcdef"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def live_server(live_app):
    """The base URL of the served demo-data app."""
    return live_app[0]


#: The receipt folder of each served app, by database URL (tests that add receipt files).
LIVE_RECEIPT_FOLDERS: dict = {}


@pytest.fixture(scope="module", params=BACKENDS)
def live_app(request, tmp_path_factory):
    """Serve a demo-data app on 127.0.0.1:<free port>; yield (base URL, database URL)."""
    with fresh_database(request.param, tmp_path_factory.mktemp("live")) as url:
        receipts = tmp_path_factory.mktemp("receipts")
        LIVE_RECEIPT_FOLDERS[url] = receipts
        engine = make_engine(url)
        with Session(engine) as session:
            load_demo_data(session=session)
            session.commit()
        engine.dispose()
        app = create_app(
            {
                "DATABASE_URL": url,
                "LOGIN_RATE_LIMIT": "1000 per minute",
                "SECRET_KEY": LIVE_SECRET_KEY,
                "RECEIPT_FOLDER": str(receipts),
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", url
        finally:
            server.shutdown()
            thread.join(timeout=5)
            app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        missing_part("Debian's chromium is not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_part("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
