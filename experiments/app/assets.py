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
or ``$SOLARA_ASSETS_PROXY_CACHE_DIR``); it is idempotent and prints the cache path. A wheel carries
the packages already (``cdn/`` beside this module, copied in by ``build_hook.py`` when the wheel is built).
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
# main area stays blank). Neither app uses altair or solara.Markdown (which would ask for mermaid): no vega, no mermaid.
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


# In a wheel, the packages are built in beside this module (build_hook.py copies them at build time),
# so an installed app needs neither npm nor the network.
PACKAGED_CACHE = Path(__file__).resolve().with_name("cdn")

# What a wheel leaves out of each package: source maps, type declarations, sources and build tools
# (never requested by a page; about half of the 107 MB the four packages unpack to).
SHIPPED_EXCLUDES = ("*.map", "*.d.ts", "src", "lib", "types", "extension-src", "build", "bin", "less", "scss")


def default_cache_dir(environ: dict | None = None) -> Path:
    """``$SOLARA_ASSETS_PROXY_CACHE_DIR`` if set; else the cache built into an installed wheel, when
    it is there; else ``<repo>/.solara-cdn`` (a checkout, filled by .ci/setup)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    if not missing_packages(PACKAGED_CACHE):
        return PACKAGED_CACHE
    return repo_root() / ".solara-cdn"


def missing_message(cache: Path, missing: list[str]) -> str:
    """The app's one-line refusal when ``cache`` lacks ``missing``: whole, with a command that exists
    wherever the package is installed (a checkout also has .ci/app-assets, which .ci/setup runs)."""
    # the paths once each and few other words: the CLI cuts a message past 400 characters
    return (f"app: {len(missing)} of the {len(PACKAGES)} JavaScript packages are missing from the offline cache; "
            f"fetch them once (needs npm) with: {sys.executable} -m multivector.experiments.app.assets --cache {cache}")


def copy_shipped(cache: Path, target: Path, packages: tuple[str, ...] = PACKAGES) -> Path:
    """Copy the complete ``packages`` of ``cache`` into ``target`` without :data:`SHIPPED_EXCLUDES`
    (what a wheel carries); raises ``RuntimeError`` naming any package the cache lacks."""
    missing = missing_packages(cache, packages)
    if missing:
        raise RuntimeError(f"the asset cache {cache} lacks {', '.join(missing)}")
    for spec in packages:
        destination = target / spec
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(cache / spec, destination, ignore=shutil.ignore_patterns(*SHIPPED_EXCLUDES))
    return target


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
