"""The code installs as one top-level package, ``multivector`` (issue 19, item 3).

The repository keeps its ``model/`` and ``experiments/`` folders; ``pyproject.toml`` maps them to
``multivector.model`` and ``multivector.experiments``. A user's own ``model.py`` or
``experiments/`` folder (Mesa's usual layout) must not change what our code imports.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import multivector
from multivector import model

REPO = Path(__file__).resolve().parents[1]
MULTIVECTOR = Path(sys.executable).with_name("multivector")


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {"multivector"}
    for folder in ("model", "experiments"):
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO)
            if relative.parts[:2] == ("experiments", "api"):
                continue  # the top-level package itself
            on_disk.add("multivector." + ".".join(relative.parts))
    assert listed == on_disk, (f"pyproject.toml [tool.setuptools] packages: add {sorted(on_disk - listed)}, "
                               f"drop {sorted(listed - on_disk)}")


BARE_IMPORT = re.compile(r"^\s*(from|import)\s+(model|experiments)\b", re.M)
BARE_STRING = re.compile(r"[\"'](model|experiments)\.[a-z_]+\.[a-z_]")


@pytest.mark.parametrize("folder", ["model", "experiments", "tests"])
def test_no_code_imports_the_folders_by_their_bare_names(folder):
    offenders = []
    for path in (REPO / folder).rglob("*.py"):
        text = path.read_text()
        if BARE_IMPORT.search(text) or BARE_STRING.search(text):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders, f"import multivector.model / multivector.experiments instead of the bare names in {offenders}"


def test_the_public_api_is_the_top_level_package():
    for name in ("run", "simulate", "simulate_many", "MultivectorModel", "Ensemble"):
        assert getattr(multivector, name) is getattr(model, name)
    assert set(multivector.__all__) == set(model.__all__)


@pytest.fixture
def crowded_folder(tmp_path):
    """A working folder as a Mesa user keeps it: their own model.py and experiments/ package."""
    (tmp_path / "model.py").write_text("raise ImportError('the user model.py was imported')\n")
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "__init__.py").write_text("raise ImportError('the user experiments/ was imported')\n")
    return tmp_path


def test_the_api_ignores_a_users_own_model_and_experiments(crowded_folder):
    code = ("import multivector, multivector.experiments.ema as ema; "
            "print(multivector.run(steps=4, seed=1)['autonomy'] >= 0, ema.ema_model.__module__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=crowded_folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "multivector.experiments.ema"]


def test_the_command_line_ignores_a_users_own_model_and_experiments(crowded_folder):
    for command in ([str(MULTIVECTOR), "run", "--steps", "4", "--replications", "2", "--out", "out.csv"],
                    [sys.executable, "-m", "multivector", "scenarios"]):
        result = subprocess.run(command, cwd=crowded_folder, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert (crowded_folder / "out.csv").stat().st_size > 0


NOT_PACKAGE_DATA = ("model/ODD.md", "experiments/docs/", "/figures/")  # read by people and the docs site, not the code


def test_every_data_file_of_the_code_goes_into_the_wheel():
    """A file the code reads but the wheel leaves out works in a checkout and fails when installed."""
    import fnmatch

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    listed = subprocess.run(["git", "ls-files", "model", "experiments"], cwd=REPO, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    missing = []
    for name in listed.stdout.split():
        if name.endswith(".py") or any(part in name for part in NOT_PACKAGE_DATA):
            continue
        folder, _, inside = name.partition("/")
        patterns = config[f"multivector.{folder}"]
        # as setuptools' glob: a * never crosses a folder
        if not any(fnmatch.fnmatch(inside, pattern) and inside.count("/") == pattern.count("/") for pattern in patterns):
            missing.append(name)
    assert not missing, f"add to [tool.setuptools.package-data] in pyproject.toml: {missing}"
