"""``multivector app``: serve the browser app with solara-server.

Binds to 127.0.0.1 unless told otherwise (the app runs models on the server and reads sweep
folders: it is meant for the user's own machine). Starts ``solara run`` in production mode,
without telemetry or a version check, with the offline asset cache in its environment.
"""

import argparse
import os
import sys
from pathlib import Path

from multivector.experiments.app import assets
from multivector.experiments.app.sweep_folder import DEFAULT_ROOT, SWEEP_ENV, SWEEP_ROOT_ENV, resolve_sweep_folder  # noqa: F401 - SWEEP_ROOT_ENV re-exported for tests
from multivector.experiments.errors import UsageError, shorten

APP_FILE = Path(__file__).with_name("app.py")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in 1..65535, got {port}")
    return port


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "app", help="serve the browser app (run, compare and sweep views)",
        description="Serve the Multivector browser app with Solara: watch and steer a run, compare "
                    "every strategy, and explore a finished sweep. Open the printed address in a browser.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765)")
    parser.add_argument("--sweep", metavar="DIR", default=None,
                        help="a folder written by 'multivector sweep' to open in the sweep view")
    parser.add_argument("--sweep-root", metavar="DIR", default=None,
                        help="the sweep view reads only sweep folders under DIR (default: ./results, or the "
                             "folder holding --sweep DIR)")
    parser.set_defaults(handler=run_app)


def server_environment(sweep: str | None = None, base: dict | None = None, sweep_root: str | None = None) -> dict:
    """The environment ``solara run`` needs: asset cache, telemetry off, the sweep root and the
    sweep to open (which must lie under the root; without ``sweep_root`` its parent is the root).

    Raises ``UsageError`` (saying how to create it) when the asset cache is incomplete."""
    env = dict(os.environ if base is None else base)
    cache = assets.default_cache_dir(env)
    missing = assets.missing_packages(cache)
    if missing:
        raise UsageError(assets.missing_message(cache, missing))
    env[assets.CACHE_ENV] = str(cache.resolve())
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    if sweep_root is None and sweep is not None:
        sweep_root = str(Path(sweep).expanduser().resolve().parent)
    root = Path(sweep_root or DEFAULT_ROOT).expanduser().resolve()
    if sweep_root is not None and not root.is_dir():
        raise UsageError(f"--sweep-root: no such folder: {shorten(sweep_root)}")
    env[SWEEP_ROOT_ENV] = str(root)
    if sweep is not None:
        # a path typed on the command line means what the shell means (relative to the working
        # folder) when it names a folder there; otherwise it is read under the root, as in the app
        here = Path(sweep).expanduser()
        env[SWEEP_ENV] = str(resolve_sweep_folder(here.resolve() if here.is_dir() else sweep, root))
    else:
        env.pop(SWEEP_ENV, None)
    return env


def solara_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line for our app."""
    return [sys.executable, "-m", "solara", "run", str(APP_FILE), "--host", host, "--port", str(port),
            "--production", "--no-open", "--no-check-version"]


def run_app(args) -> int:
    """Replace this process with the solara server (so a signal to our PID stops the server)."""
    env = server_environment(args.sweep, sweep_root=args.sweep_root)
    print(f"Multivector app on http://{args.host}:{args.port}/  (Ctrl-C stops it)", file=sys.stderr, flush=True)
    sys.stdout.flush()
    command = solara_command(args.host, args.port)
    os.execve(command[0], command, env)
    return 1  # not reached: execve only returns by raising
