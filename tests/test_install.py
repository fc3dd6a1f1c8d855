"""What an installed package needs beyond its code (issue 19, item 2): the app's offline assets found
in a wheel, a refusal that is whole and names a command every install has, and the shipped designs
listed and copied by ``multivector designs``. (The wheel itself: tests/wheel_job.sh, run by CI.)"""

from pathlib import Path

import pytest

from multivector.experiments import errors
from multivector.experiments.app import assets
from multivector.experiments.app import cli as app_cli
from multivector.experiments.cli import main
from multivector.experiments.errors import UsageError
from multivector.experiments.shipped_designs import shipped_designs


def _complete(cache: Path, specs=assets.PACKAGES) -> Path:
    for spec in specs:
        (cache / spec).mkdir(parents=True)
        (cache / spec / assets._COMPLETE).write_text("")
    return cache


def test_the_app_finds_the_cache_built_into_a_wheel(tmp_path, monkeypatch):
    packaged = tmp_path / "site-packages" / "cdn"
    monkeypatch.setattr(assets, "PACKAGED_CACHE", packaged)
    checkout = assets.repo_root() / ".solara-cdn"
    assert assets.default_cache_dir({}) == checkout  # nothing packaged: the checkout's cache
    _complete(packaged)
    assert assets.default_cache_dir({}) == packaged  # a wheel's
    assert assets.default_cache_dir({assets.CACHE_ENV: str(tmp_path / "mine")}) == (tmp_path / "mine").resolve()
    env = app_cli.server_environment(base={})
    assert env[assets.CACHE_ENV] == str(packaged.resolve())


def test_a_missing_cache_is_refused_whole_naming_a_command_every_install_has(tmp_path):
    cache = tmp_path / ("a-long-folder-name-" * 4) / "cdn"
    with pytest.raises(UsageError) as refused:
        app_cli.server_environment(base={assets.CACHE_ENV: str(cache)})
    line, status = errors.report(refused.value)
    assert status == 2
    assert line == str(refused.value)  # not cut: the command in it can be pasted
    assert line.endswith(f"-m multivector.experiments.app.assets --cache {cache.resolve()}")
    assert ".ci/" not in line  # a wheel carries no .ci/ scripts


def test_a_wheel_carries_each_package_without_maps_sources_or_build_tools(tmp_path):
    cache = _complete(tmp_path / "cache", ("lib@1.0.0",))
    package = cache / "lib@1.0.0"
    for name in ("dist/lib.min.js", "dist/lib.min.js.map", "dist/fonts/a.woff2", "src/lib.ts", "index.d.ts",
                 "bin/tool.js", "package.json"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("x")
    shipped = assets.copy_shipped(cache, tmp_path / "wheel", ("lib@1.0.0",)) / "lib@1.0.0"
    kept = sorted(p.relative_to(shipped).as_posix() for p in shipped.rglob("*") if p.is_file())
    assert kept == [assets._COMPLETE, "dist/fonts/a.woff2", "dist/lib.min.js", "package.json"]
    with pytest.raises(RuntimeError, match="lacks other@2.0.0"):
        assets.copy_shipped(cache, tmp_path / "wheel", ("other@2.0.0",))


def test_designs_lists_every_shipped_design_with_the_command_that_runs_it(capsys):
    assert main(["designs"]) == 0
    out = capsys.readouterr().out
    designs = {d.name: d for d in shipped_designs()}
    assert designs["smoke"].command == "sweep" and designs["calibrate-kazakhstan"].command == "calibrate"
    assert designs["claims/C12-activism"].command == "report"
    for name in designs:
        assert f"\n{name} " in f"\n{out}"
    assert all(len(line) <= 80 for line in out.splitlines() if not line.startswith(str(len(designs))))


def test_designs_copies_one_out_and_never_overwrites(tmp_path, capsys):
    assert main(["designs", "smoke", "--to", str(tmp_path / "mine")]) == 0
    copied = tmp_path / "mine" / "smoke.toml"
    assert copied.read_text() == next(d for d in shipped_designs() if d.name == "smoke").path.read_text()
    assert main(["designs", "claims/C12-activism.toml", "--to", str(tmp_path / "mine")]) == 0
    assert (tmp_path / "mine" / "C12-activism.toml").is_file()
    capsys.readouterr()
    copied.write_text("# mine now")
    assert main(["designs", "smoke", "--to", str(tmp_path / "mine")]) == 2
    assert "exists" in capsys.readouterr().err and copied.read_text() == "# mine now"
    assert main(["designs", "no-such-design"]) == 2
    assert "no shipped design 'no-such-design'" in capsys.readouterr().err
    assert main(["designs", "--to", str(tmp_path)]) == 2
