"""`yibao report` in a real browser: headless Chromium opens the page from file://, with no network.

The page's own script records script errors, failed resources and CSP violations, and after load writes
into ``#selfcheck`` how many charts rendered (visible, with visible marks); ``--dump-dom`` returns that.
A screenshot of the whole page is saved under pytest's tmp dir and copied to data/report/screenshot.png.

Chromium is Debian's ``chromium`` (CI's .ci/run installs it). Where it is missing the test tries to
install it with apt-get (as root, unless YIBAO_NO_BROWSER_INSTALL is set); where that is impossible
the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from yibao.report import build_report

from .conftest import ROOT
from .test_report import make_warehouse

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
         "--hide-scrollbars", "--virtual-time-budget=5000")
TIMEOUT = 90


def find_chromium() -> str | None:
    """Path of a Chromium binary: $YIBAO_CHROMIUM, else the first candidate on PATH."""
    env = os.environ.get("YIBAO_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def install_chromium() -> str | None:
    """Try ``apt-get install chromium``; returns why it could not be done, or None when it was."""
    if os.environ.get("YIBAO_NO_BROWSER_INSTALL"):
        return "Chromium is not installed and YIBAO_NO_BROWSER_INSTALL is set"
    if not shutil.which("apt-get"):
        return ("Chromium is not installed and there is no apt-get to install it "
                "(install chromium or set YIBAO_CHROMIUM)")
    if os.geteuid() != 0:
        return ("Chromium is not installed and installing it with apt-get needs root "
                "(apt-get install chromium)")
    print("Chromium is missing: installing it with apt-get (once) …", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"]
    for cmd in (["apt-get", "update", "-qq"], install):
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"Chromium is not installed and `{' '.join(cmd)}` failed: {exc}"
        if done.returncode != 0:
            return f"Chromium is not installed and `{' '.join(cmd)}` failed: {done.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary, installed when missing; the test is skipped, with the reason, when impossible."""
    path = find_chromium()
    if path is None:
        reason = install_chromium()
        path = find_chromium()
        if path is None:
            reason = reason or "apt-get installed no chromium binary"
            print(f"SKIPPED browser test: {reason}", file=sys.stderr)
            pytest.skip(reason)
    return path


def run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile."""
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}"
    return done


class DomParser(HTMLParser):
    """The #selfcheck attributes and, per <svg class="chart">, the number of elements of class mark."""

    def __init__(self):
        super().__init__()
        self.selfcheck: dict[str, str] | None = None
        self.charts: dict[str, int] = {}
        self._chart: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") == "selfcheck":
            self.selfcheck = a
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self._chart = a["id"]
            self.charts[self._chart] = 0
        elif self._chart and "mark" in (a.get("class") or "").split():
            self.charts[self._chart] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None


def dump_dom(chromium: str, profile: Path, page: Path) -> DomParser:
    """The page's DOM after its scripts ran."""
    done = run_chromium(chromium, profile, "--window-size=1440,900", "--dump-dom", page.as_uri())
    dom = DomParser()
    dom.feed(done.stdout)
    assert dom.selfcheck is not None, f"no #selfcheck in the dumped DOM: {done.stdout[:500]}"
    return dom


@pytest.fixture
def report_page(tmp_path) -> Path:
    """The page over the fixture warehouse (all marts, with findings and an untrusted bureau name)."""
    db = make_warehouse(tmp_path / "wh.duckdb")
    return build_report(db, tmp_path / "report")


def test_page_renders_in_chromium(chromium, report_page, tmp_path):
    dom = dump_dom(chromium, tmp_path / "profile-dom", report_page)
    check = dom.selfcheck
    errors = json.loads(check.get("data-error-list") or "[]")
    assert check.get("data-status") == "ok", (check, errors)
    assert check["data-errors"] == "0" and errors == [], errors
    # every chart rendered: all seven, each with a visible size and visible marks
    expected = report_page.read_text(encoding="utf-8").count('<svg class="chart"')
    assert expected == 7
    assert int(check["data-charts"]) == expected and int(check["data-charts-ok"]) == expected, check
    detail = json.loads(check["data-chart-detail"])
    assert all(c["marks"] > 0 and c["visible"] > 0 and c["width"] > 0 and c["height"] > 0
               for c in detail), detail
    assert len(dom.charts) == expected and all(n > 0 for n in dom.charts.values()), dom.charts

    # the whole page, for a person to look at
    height = min(max(int(check.get("data-page-height") or 3000), 900), 8000)
    shot = tmp_path / "screenshot.png"
    run_chromium(chromium, tmp_path / "profile-shot", f"--window-size=1440,{height}", f"--screenshot={shot}",
                 report_page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    keep = ROOT / "data" / "report" / "screenshot.png"
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, keep)
    print(f"screenshot: {shot} (copied to {keep})")


def test_self_check_reports_script_errors(chromium, report_page, tmp_path):
    """The detector works: a page with a broken script and a remote image is reported, not passed."""
    page = report_page.read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(page.replace("</main>", '</main><script>no_such_function();</script>'
                                              '<img src="https://example.invalid/x.png">'), encoding="utf-8")
    check = dump_dom(chromium, tmp_path / "profile-broken", broken).selfcheck
    errors = json.loads(check["data-error-list"])
    assert check["data-status"] == "fail"
    assert any("no_such_function" in e for e in errors), errors
    assert any("CSP" in e or "resource failed" in e for e in errors), errors
