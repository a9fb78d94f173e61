"""Shared fixtures: one real build of the shipped content, a local server, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def run_factsheet(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None):
    """The real command, in its own process, as a contributor or CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once with the real `factsheet build` (MkDocs, strict)."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_factsheet("build", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on loopback, under the same path as site_url in mkdocs.yml."""
    from generator.engine import site_base_path

    prefix = site_base_path(ROOT / "mkdocs.yml").strip("/")
    serve_root = built_site.parent / "serve-root"
    target = serve_root / prefix if prefix else serve_root
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(built_site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(serve_root))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        port = httpd.server_address[1]
        yield f"http://127.0.0.1:{port}/{prefix + '/' if prefix else ''}"
        httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("FACTSHEET_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("Debian's chromium is required for the browser tests (make browser)")
        pytest.skip("chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
