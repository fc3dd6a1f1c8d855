"""Stopping a server a test started (the app, SolaraViz, the tutorial's `multivector app`)."""

import signal
import subprocess


def stop_server(process: subprocess.Popen, timeout_s: float = 15) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout_s``; always reaped."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)
