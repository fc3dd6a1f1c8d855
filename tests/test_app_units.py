"""The app's parts that need no browser: calendar, charts, compare tables, the sweep-folder
guard, the asset cache and the ``app`` subcommand."""

import argparse
import io
import os
import tarfile

import numpy as np
import pandas as pd
import pytest

from experiments.app import assets, charts
from experiments.app import cli as app_cli
from model.calendar import fractional_year, parse_quarter
from model.calendar import step_date as quarter_after
from experiments.app.compare_view import outcome_sentences, outcome_table_html
from experiments.app.sweep_folder import check_confined, inside, resolve_sweep_folder
from experiments.errors import UsageError
from model.contract import output_columns

POWERS = ("RUS", "CHN", "WEST")


# --- calendar --------------------------------------------------------------------------
@pytest.mark.parametrize("start, steps, expected", [("1991Q4", 0, "1991Q4"), ("1991Q4", 1, "1992Q1"),
                                                    ("1991Q4", 4, "1992Q4"), ("1991Q4", 132, "2024Q4"),
                                                    ("2000Q1", 3, "2000Q4")])
def test_quarter_after(start, steps, expected):
    assert quarter_after(start, steps) == expected


def test_quarter_labels_are_checked():
    assert parse_quarter("1998Q3") == (1998, 3)
    assert fractional_year("1992Q1", 2) == 1992.5
    with pytest.raises(ValueError):
        parse_quarter("1998-3")


# --- charts ----------------------------------------------------------------------------
def contract_frame(steps: int, level: float = 0.5, seed: int = 0) -> pd.DataFrame:
    """A frame with every contract column, values in [0, 1]."""
    rng = np.random.default_rng(seed)
    columns = output_columns(POWERS)
    frame = pd.DataFrame({c: np.clip(level + rng.normal(0, 0.1, steps + 1), 0, 1) for c in columns})
    frame["step"] = np.arange(steps + 1)
    frame["date"] = [quarter_after("1991Q4", i) for i in range(steps + 1)]
    frame["year"] = [int(d[:4]) for d in frame["date"]]
    frame["strategy"] = "hedge"
    for power in POWERS:
        frame[f"coercion_{power}"] = (np.arange(steps + 1) % 5 == 0).astype(int)
    return frame


AXIS = charts.TimeAxis(start="1991Q4", steps=20, events=((2, "1992Q2", "Treaty"), (10, "1994Q2", "Crisis")))


def test_live_chart_moves_its_lines_to_the_frame():
    chart = charts.PerPowerDomainChart(POWERS, AXIS, "engagement")
    frame = contract_frame(6)
    chart.update(frame)
    x, y = chart.lines["CHN", "economy"].get_data()
    assert list(x) == list(range(7))
    assert np.allclose(y, frame["engagement_CHN_economy"])
    assert chart.axes[0].get_xlim() == (0, 20)  # the axis spans the whole run from the start
    chart.update(contract_frame(12))
    assert len(chart.lines["CHN", "economy"].get_data()[0]) == 13


def test_every_run_figure_draws_from_a_contract_frame():
    frame = contract_frame(20)
    figures = [charts.per_power_domain_figure(frame, POWERS, AXIS, "dependence"),
               charts.reactions_figure(frame, POWERS, AXIS), charts.outcomes_figure(frame, POWERS, AXIS),
               charts.ties_figure(np.full((3, 3), 0.4), np.full((3, 3), 0.1), POWERS, date="1992Q1")]
    for figure in figures:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        assert buffer.getvalue().startswith(b"\x89PNG")


def test_ties_edges_grow_with_engagement():
    chart = charts.TiesChart(POWERS)
    engagement = np.zeros((3, 3))
    engagement[1, 2] = 1.0  # CHN, institutions
    chart.update(engagement, np.zeros((3, 3)), "2000Q1")
    assert chart.edges["CHN", "institutions"].get_linewidth() > 5 * chart.edges["RUS", "security"].get_linewidth()
    assert chart.edges["CHN", "institutions"].get_color() == charts.DOMAIN_COLOURS["institutions"]
    assert "2000Q1" in chart.title.get_text()


def test_final_outcomes_and_compare_table_name_best_and_worst():
    frames = {"hedge": contract_frame(8, 0.7, 1), "balance": contract_frame(8, 0.3, 2)}
    table = charts.final_outcomes(frames, POWERS)
    assert list(table.index) == ["hedge", "balance"]
    assert table.loc["hedge", "autonomy"] == pytest.approx(frames["hedge"]["autonomy"].iloc[-1])
    client = frames["balance"][[f"client_index_{p}" for p in POWERS]].max(axis=1).iloc[-1]
    assert table.loc["balance", "client_index_max"] == pytest.approx(client)
    sentences = outcome_sentences(table)
    assert sentences[0].startswith("Autonomy: best hedge")
    assert any(s.startswith("Client index (highest patron): best balance") for s in sentences)  # lower is better
    html = outcome_table_html(table)
    assert html.count("<tr>") == 3 and "hedge" in html and "balance" in html
    figure = charts.compare_figure(frames, POWERS, AXIS)
    assert len(figure.axes) == 2 * len(charts.COMPARED_OUTCOMES)


# --- sweep folder guard ------------------------------------------------------------------
def test_sweep_folder_must_exist_and_not_climb(tmp_path):
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "manifest.json").write_text("{}")
    assert resolve_sweep_folder(str(tmp_path / "sweep"), tmp_path) == (tmp_path / "sweep").resolve()
    assert resolve_sweep_folder("sweep", tmp_path) == (tmp_path / "sweep").resolve()  # relative to the root
    for bad in ("", "   ", str(tmp_path / "sweep" / ".." / "sweep"), str(tmp_path / "missing")):
        with pytest.raises(UsageError, match="sweep folder"):
            resolve_sweep_folder(bad, tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a sweep folder under the sweep root"):
        resolve_sweep_folder(str(tmp_path / "file"), tmp_path)


def test_sweep_folder_outside_the_root_reads_like_a_missing_one(tmp_path):
    """The app reveals nothing outside its root: an existing system file, an existing folder and
    a missing path outside it are refused with the same words, without walking anything."""
    root = tmp_path / "root"
    root.mkdir()
    messages = set()
    for outside in ("/etc/passwd", "/etc", "/no/such/place", str(tmp_path), "/" + "x" * 5000):
        with pytest.raises(UsageError) as refused:
            resolve_sweep_folder(outside, root)
        messages.add(str(refused.value).split(" is not a sweep folder")[1])
        assert len(str(refused.value)) < 300
    assert messages == {f" under the sweep root {root.resolve()}"}


def test_sweep_folder_resolves_symlinks_and_refuses_links_out(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "manifest.json").write_text("{}")
    link = tmp_path / "link"
    link.symlink_to(real)
    root = resolve_sweep_folder(str(link), tmp_path)
    assert root == real.resolve()
    check_confined(root)  # nothing points out
    assert inside(root, "manifest.json") == (real / "manifest.json").resolve()
    for bad in ("../secret", "/etc/passwd", "a/../../b"):
        with pytest.raises(UsageError, match="outside the folder"):
            inside(root, bad)
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    (real / "runs.parquet").symlink_to(secret)
    with pytest.raises(UsageError, match="outside the folder"):
        check_confined(root)


def test_open_confined_refuses_an_escaping_sweep_before_reading_it(tmp_path):
    from experiments.app.sweep_folder import open_confined

    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "manifest.json").symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_text("{}")
    with pytest.raises(UsageError, match="outside the folder"):
        open_confined(tmp_path / "sweep", tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="not a sweep folder"):
        open_confined(tmp_path / "empty", tmp_path)


# --- asset cache -------------------------------------------------------------------------
def npm_tarball(path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_seed_cache_unpacks_missing_packages_once(tmp_path, monkeypatch):
    packed = []

    def fake_pack(spec, workdir):  # npm itself is exercised by tests/run; here, its tarball format
        packed.append(spec)
        tarball = workdir / "pkg.tgz"
        npm_tarball(tarball, {"dist/main.js": b"console.log(1)", "package.json": b"{}"})
        return tarball

    monkeypatch.setattr(assets, "_npm_pack", fake_pack)
    cache = tmp_path / "cdn"
    specs = ("@scope/app@1.0.0", "lib@2.0.0")
    assert assets.missing_packages(cache, specs) == list(specs)
    assets.seed_cache(cache, specs, log=lambda message: None)
    assert (cache / "@scope/app@1.0.0" / "dist" / "main.js").read_bytes() == b"console.log(1)"
    assert assets.missing_packages(cache, specs) == []
    assets.seed_cache(cache, specs, log=lambda message: None)
    assert packed == list(specs)  # idempotent: nothing fetched the second time


def test_an_interrupted_unpack_is_fetched_again(tmp_path, monkeypatch):
    cache = tmp_path / "cdn"
    (cache / "lib@2.0.0").mkdir(parents=True)  # a folder without the completion mark
    assert assets.missing_packages(cache, ("lib@2.0.0",)) == ["lib@2.0.0"]


# --- the app subcommand -----------------------------------------------------------------
def app_parser():
    parser = argparse.ArgumentParser(prog="multivector")
    app_cli.register(parser.add_subparsers())
    return parser


def test_app_binds_to_localhost_by_default():
    args = app_parser().parse_args(["app"])
    assert (args.host, args.port, args.sweep) == ("127.0.0.1", 8765, None)
    assert args.handler is app_cli.run_app
    command = app_cli.solara_command(args.host, args.port)
    assert command[1:4] == ["-m", "solara", "run"] and command[4].endswith("app.py")
    for flag in ("--production", "--no-open", "--no-check-version"):
        assert flag in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "8765"


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_app_rejects_bad_ports(port, capsys):
    with pytest.raises(SystemExit) as exit_info:
        app_parser().parse_args(["app", "--port", port])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_server_environment_needs_the_asset_cache_and_turns_telemetry_off(tmp_path):
    empty = tmp_path / "cdn"
    with pytest.raises(UsageError, match="python.* -m experiments.app.assets"):
        app_cli.server_environment(base={assets.CACHE_ENV: str(empty)})
    for spec in assets.PACKAGES:
        (empty / spec).mkdir(parents=True)
        (empty / spec / assets._COMPLETE).write_text("")
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "manifest.json").write_text("{}")
    env = app_cli.server_environment(sweep=str(tmp_path / "sweep"), base={assets.CACHE_ENV: str(empty)})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env[assets.CACHE_ENV] == str(empty.resolve())
    assert env[app_cli.SWEEP_ENV] == str((tmp_path / "sweep").resolve())
    assert env[app_cli.SWEEP_ROOT_ENV] == str(tmp_path.resolve())  # --sweep alone: its parent is the root
    with pytest.raises(UsageError, match="not a sweep folder"):
        app_cli.server_environment(sweep=str(tmp_path / "nope"), base={assets.CACHE_ENV: str(empty)})
    with pytest.raises(UsageError, match="not a sweep folder under"):
        app_cli.server_environment(sweep=str(tmp_path / "sweep"), sweep_root=str(empty),
                                   base={assets.CACHE_ENV: str(empty)})


def test_the_app_module_has_no_module_level_model():
    """A model at module level would be shared by every browser tab (mesa/mesa#856)."""
    source = (app_cli.APP_FILE).read_text()
    assert "MultivectorModel(" not in source and "RunSession(" not in source
    assert os.path.basename(app_cli.APP_FILE) == "app.py"
