"""The documentation site (issue 19, item 8): it builds with warnings as errors, every internal link
and anchor resolves, its reference pages are generated from the code, and the tutorial works when
followed word for word.

The site's sources are ``experiments/docs/`` (MkDocs; ``hooks.py`` generates the reference pages).
No test here touches the network: the build reads only the repository, and the tutorial's commands
run on this machine in a temporary folder.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from multivector import model
from multivector.experiments.cli import build_parser
from servers import stop_server

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "experiments" / "docs"
CONFIG = DOCS / "mkdocs.yml"
TUTORIAL = DOCS / "pages" / "tutorial.md"
BIN = Path(sys.executable).parent
APP_START_TIMEOUT_S = 90


# ----- the site builds, strictly -----------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built once with ``--strict`` (any warning fails the build) into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(CONFIG),
                             "--site-dir", str(out)], capture_output=True, text=True, cwd=out,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    return out


class _Page(HTMLParser):
    """The ids a page defines and the links (href, src) it makes."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(attrs[key])


def broken_links(site: Path) -> list[str]:
    """Every internal link of the built site whose file or anchor does not exist, as
    ``page: link (why)``. External links (with a scheme, or //host) are not followed: no network.
    ``404.html`` is left out: a web server shows it at any missing address, so MkDocs gives it links
    from the site's root (``/assets/...``) that only a server resolves."""
    pages: dict[Path, _Page] = {}
    for path in site.rglob("*.html"):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    broken = []
    for path, parser in sorted(pages.items()):
        if path.name == "404.html" and path.parent == site.resolve():
            continue
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.resolve())}: {link}"
            if not target.exists():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{where} (no anchor #{parts.fragment})")
    return broken


def test_the_site_builds_strictly_and_every_internal_link_and_anchor_resolves(site):
    assert (site / "index.html").exists() and (site / "tutorial.html").exists()
    assert broken_links(site) == []


def test_the_link_check_can_fail(tmp_path):
    (tmp_path / "a.html").write_text('<h1 id="top">A</h1><a href="#top">ok</a><a href="b.html#nowhere">x</a>'
                                     '<a href="missing.html">y</a><img src="pic.png"><a href="https://example.org/">z</a>')
    (tmp_path / "b.html").write_text('<h2 id="here">B</h2><a href="a.html#top">back</a>')
    assert broken_links(tmp_path) == ["a.html: b.html#nowhere (no anchor #nowhere)", "a.html: missing.html (no such file)",
                                      "a.html: pic.png (no such file)"]


def _text(html: Path) -> str:
    return re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))


def test_the_command_reference_is_generated_from_the_parsers(site):
    text = _text(site / "reference" / "cli.html")
    commands = next(a for a in build_parser()._actions if hasattr(a, "choices") and isinstance(a.choices, dict))
    for name, parser in commands.choices.items():
        assert f"multivector {name}" in text, name
        for action in parser._actions:
            for flag in action.option_strings:
                assert flag in text, f"multivector {name} {flag}"


def test_the_parameter_reference_is_generated_from_the_schema(site):
    text = _text(site / "reference" / "parameters.html")
    for row in model.parameter_table():
        assert row.path in text, row.path


def test_the_odd_and_the_api_are_in_the_site(site):
    odd = _text(site / "reference" / "odd.html")
    first_heading = next(line for line in (REPO / "model" / "ODD.md").read_text().splitlines() if line.startswith("## "))
    assert first_heading.removeprefix("## ").strip() in odd  # included from model/ODD.md, not copied
    api = _text(site / "reference" / "api.html")
    for name in ("run", "simulate", "simulate_many", "MultivectorModel", "Ensemble"):
        assert re.search(rf"\b{name}\b", api), name
    assert "One run: a DataFrame with one row per quarter" in api  # a docstring, rendered by mkdocstrings


# ----- the tutorial, word for word --------------------------------------------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def tutorial_blocks(markdown: str) -> list[str]:
    """The tutorial's ``bash`` blocks, in order: each is what the reader types (``text`` blocks show
    what they see or set-up steps outside the tutorial's folder, and are not run)."""
    return [body for kind, body in FENCE.findall(markdown) if kind == "bash"]


def test_the_tutorial_has_the_five_steps():
    blocks = tutorial_blocks(TUTORIAL.read_text())
    joined = "\n".join(blocks)
    for command in ("multivector run", "multivector compare", "multivector sweep", "multivector report",
                    "multivector app"):
        assert command in joined, command


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_briefly(command: str, cwd: Path, env: dict) -> None:
    """Start the app as the tutorial does (on a free port, so parallel test runs do not collide),
    wait for its first page to answer, and stop it by its process id."""
    port = _free_port()
    log = cwd / "app.log"
    with open(log, "w") as output:
        process = subprocess.Popen(["bash", "-c", f"exec {command} --port {port}"], cwd=cwd, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while True:
            assert process.poll() is None, f"`{command}` exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, f"`{command}` served nothing in {APP_START_TIMEOUT_S} s"
            time.sleep(0.5)
    finally:
        stop_server(process)


@pytest.mark.slow
def test_the_tutorial_works_when_followed_word_for_word(tmp_path):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100"}
    for block in tutorial_blocks(TUTORIAL.read_text()):
        command = block.strip()
        if command.startswith("multivector app"):
            assert "\n" not in command, "the app's block holds the one command that serves it"
            _serve_briefly(command, tmp_path, env)
            continue
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True,
                                text=True, stdin=subprocess.DEVNULL, timeout=600)
        assert result.returncode == 0, f"tutorial block failed:\n{block}\n{result.stderr[-3000:]}"
    # what the tutorial says each step leaves behind
    for made in ("run.csv", "results/compare-kazakhstan/summary.csv", "results/compare-kazakhstan/comparison.png",
                 "results/tiny/manifest.json", "results/tiny/runs.parquet", "results/tiny/figures",
                 "results/report-quick/report.md", "results/report-quick/report.html",
                 "results/report-quick/verdicts.csv"):
        assert (tmp_path / made).exists(), made
    assert len((tmp_path / "run.csv").read_text().splitlines()) == 1 + 133  # "133 rows", as the tutorial says
