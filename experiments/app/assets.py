"""Serve the app's JavaScript and CSS without a CDN: fill Solara's CDN proxy cache from npm.

solara-server fetches the page's front-end packages from a public CDN at run time, through
its ``/_solara/cdn/<package>@<version>/<file>`` proxy, and keeps what it fetched in
``SOLARA_ASSETS_PROXY_CACHE_DIR``. Machines without that CDN (ours, air-gapped labs) get a
page stuck on "Loading". The same files are in the npm registry, so ``npm pack`` each
package and unpack it where the proxy looks; the server then never goes to the CDN.

The cache directory is read by Solara when it is *imported*, so it has to be in the
environment before the server (or a test process) starts: ``tests/run`` and
``multivector app`` both arrange that.

Run ``python -m multivector.experiments.app.assets`` to fill the default cache (``<repo>/.solara-cdn``,
or ``$SOLARA_ASSETS_PROXY_CACHE_DIR``); it is idempotent and prints the cache path.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CACHE_ENV = "SOLARA_ASSETS_PROXY_CACHE_DIR"

# What solara 1.64 with ipyvuetify<2 requests for our app (checked by the browser tests,
# which fail on any HTTP 404): the page, echarts for solara.FigureEcharts (the version its
# echarts.vue asks for), and vue-grid-layout for Mesa's SolaraViz, whose plots sit in
# solara.GridDraggable (the version solara's gridlayout.vue asks for; without it SolaraViz's
# main area stays blank). Neither app uses altair or solara.Markdown: no vega, no mermaid.
PACKAGES: tuple[str, ...] = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "echarts@5.4.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
)

# Written last inside each package folder: a folder without it is an interrupted unpack.
_COMPLETE = ".multivector-complete"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def default_cache_dir() -> Path:
    """``$SOLARA_ASSETS_PROXY_CACHE_DIR`` if set, else ``<repo>/.solara-cdn``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser().resolve() if configured else repo_root() / ".solara-cdn"


def missing_packages(cache: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """The packages not (completely) unpacked in ``cache``."""
    return [spec for spec in packages if not (cache / spec / _COMPLETE).is_file()]


def _npm_pack(spec: str, workdir: Path) -> Path:
    if shutil.which("npm") is None:
        raise RuntimeError("npm is not installed (Debian: apt-get install -y npm)")
    done = subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, capture_output=True,  # noqa: PLW1510
                          text=True, stdin=subprocess.DEVNULL, timeout=600)  # the return code is read below
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip() or done.stdout.strip()}")
    return workdir / done.stdout.strip().splitlines()[-1]


def _unpack(tarball: Path, dest: Path) -> None:
    """Unpack an npm tarball (whose members sit under ``package/``) into ``dest``, atomically:
    into a sibling temporary folder first, then renamed into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        top = staging / "package"
        root = top if top.is_dir() else staging
        (root / _COMPLETE).write_text("unpacked from the npm registry\n")
        if dest.exists():
            shutil.rmtree(dest)
        root.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def seed_cache(cache: Path | None = None, packages: tuple[str, ...] = PACKAGES, log=print) -> Path:
    """Make sure every package is unpacked in ``cache``; fetch only the missing ones."""
    cache = (cache or default_cache_dir()).resolve()
    todo = missing_packages(cache, packages)
    if todo:
        with tempfile.TemporaryDirectory() as work:
            for spec in todo:
                log(f"fetching {spec} from the npm registry")
                _unpack(_npm_pack(spec, Path(work)), cache / spec)
    return cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m multivector.experiments.app.assets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help=f"cache folder (default: ${CACHE_ENV} or <repo>/.solara-cdn)")
    args = parser.parse_args(argv)
    try:
        cache = seed_cache(args.cache, log=lambda message: print(message, file=sys.stderr))
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        print(f"seed assets: error: {error}", file=sys.stderr)
        return 1
    print(cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
