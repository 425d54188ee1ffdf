"""Helpers for the web page's browser tests: Debian's Chromium driven by Playwright for Python.

No browser is downloaded: Playwright runs the system's Chromium (``/usr/bin/chromium``, installed
by ``.ci/chromium.sh``; ``FLUXPARAMS_CHROMIUM`` names another). Without it, or without the
``playwright`` package, the browser tests skip with the reason (and fail when ``CI=true``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

from fluxparams.service import web

CHROMIUM = os.environ.get("FLUXPARAMS_CHROMIUM", "/usr/bin/chromium")
ORIGIN = "http://fluxparams.test"  # the assets served by Playwright's router, no server needed


def chromium_missing() -> Optional[str]:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is absent (.ci/chromium.sh installs Debian's chromium)"
    return None


def expect(locator: Any) -> Any:
    """Playwright's retrying assertions (imported late: playwright may be absent)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


# CI must run the browser for real: there (CI=true) a missing Chromium fails the tests, never skips.
needs_chromium = pytest.mark.skipif(
    chromium_missing() is not None and os.environ.get("CI", "").lower() != "true",
    reason=chromium_missing() or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


class PageProblems:
    """What a page did wrong: console errors, uncaught exceptions, failed or refused requests."""

    def __init__(self, page: Any) -> None:
        self.console: List[str] = []
        self.errors: List[str] = []
        self.failed: List[str] = []
        self.refused: List[str] = []  # responses >= 400, as "STATUS METHOD URL"
        self.page = page
        self.reloading = False
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: self.refused.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400 else None)

    def _failed(self, request: Any) -> None:
        # A reload the test asks for cancels whatever the page had in flight (a live-diagnostics
        # call, say): the browser's doing, not a request of the page that failed.
        if self.reloading and request.failure == "net::ERR_ABORTED":
            return
        self.failed.append(f"{request.method} {request.url}: {request.failure}")

    def reload(self) -> None:
        """Reload the page, not counting the requests the reload itself cancels."""
        self.reloading = True
        try:
            self.page.reload()
        finally:
            self.reloading = False

    def assert_clean(self, *expected_statuses: int) -> None:
        """Nothing went wrong but the answers with ``expected_statuses`` a test provoked (Chromium
        logs one console error for each: "Failed to load resource ... status of 401")."""
        assert [int(r.split(" ")[0]) for r in self.refused] == list(expected_statuses), self.refused
        console = list(self.console)
        for status in expected_statuses:
            logged = [m for m in console if m.startswith("Failed to load resource: the server "
                                                        f"responded with a status of {status} ")]
            assert logged, (status, console)
            console.remove(logged[0])
        assert console == [], console
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed


def route_assets(context: Any) -> None:
    """Serve the packaged page at ORIGIN from web.asset_response (the server's own headers)."""

    def handle(route: Any) -> None:
        path = route.request.url[len(ORIGIN):].split("?")[0]
        name = "index.html" if path == "/" else path.rsplit("/", 1)[-1]
        if path == "/favicon.ico":
            name = "favicon.svg"
        try:
            response = web.asset_response(name)
        except Exception:
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(status=200, body=bytes(response.body),
                      headers={k: v for k, v in response.headers.items()
                               if k.lower() != "content-length"})

    context.route(f"{ORIGIN}/**", handle)
