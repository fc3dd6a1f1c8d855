"""Build hook (named in pyproject.toml's ``[tool.setuptools.cmdclass]``; loaded by setuptools by path, at
build time only, so it imports nothing of the package): a wheel carries the browser app's JavaScript
and CSS (everything else is in pyproject.toml).

``multivector app`` serves those files from an offline cache; a checkout keeps it in ``.solara-cdn/``
(filled by ``.ci/setup``), a wheel beside ``multivector/experiments/app/assets.py`` as ``cdn/``, so that
``pip install multivector-*.whl && multivector app`` needs neither npm nor the network. Building the
wheel copies the cache (``$SOLARA_ASSETS_PROXY_CACHE_DIR``, else ``.solara-cdn/``), fetching with npm
only what it lacks; an editable install leaves it where it is.
"""

import importlib.util
import os
from pathlib import Path

from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parents[2]  # the repository (or sdist) root


def _assets_module():
    # by path: the package is not importable while it is being built
    spec = importlib.util.spec_from_file_location("_multivector_assets", HERE / "experiments" / "app" / "assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithAppAssets(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install serves the checkout's .solara-cdn/
        assets = _assets_module()
        cache = Path(os.environ.get(assets.CACHE_ENV) or HERE / ".solara-cdn").expanduser()
        assets.seed_cache(cache, log=lambda message: print(f"app assets: {message}"))
        target = Path(self.build_lib) / "multivector" / "experiments" / "app" / "cdn"
        assets.copy_shipped(cache, target)

