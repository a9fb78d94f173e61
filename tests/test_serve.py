"""`factsheet serve`: a live preview that re-renders when a record changes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from generator.engine import site_base_path

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, wait_for: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if wait_for in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{wait_for!r} never appeared at {url}")


def test_serve_rerenders_on_yaml_change(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    port = _free_port()
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        base = site_base_path(repo / "mkdocs.yml")
        url = f"http://127.0.0.1:{port}{base}fa/parties/hussein-allawi/"
        _fetch(url, "حسین علاوی")
        record = repo / "content/parties/hussein-allawi.yaml"
        text = record.read_text("utf-8")
        assert 'fa: "حسین علاوی"' in text
        record.write_text(text.replace('fa: "حسین علاوی"', 'fa: "حسین علاوی (ویرایش)"', 1), "utf-8")
        _fetch(url, "حسین علاوی &#40;ویرایش&#41;")
        assert list(temp.iterdir())  # its Markdown, its site, its spool
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # Stopped as CI and process managers stop it, it leaves nothing behind.
    assert proc.returncode is not None
    assert list(temp.iterdir()) == []
