"""The app's parts that need no browser: calendar, charts, compare tables, the sweep-folder
guard, the asset cache and the ``app`` subcommand."""

import argparse
import io
import json
import os
import tarfile

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.experiments import palette
from multivector.experiments.app import assets, charts
from multivector.experiments.app import cli as app_cli
from multivector.model.calendar import fractional_year, parse_quarter
from multivector.model.calendar import step_date as quarter_after
from multivector.experiments.app.compare_view import outcome_sentences, outcome_table_html
from multivector.experiments.app.sweep_folder import check_confined, inside, resolve_sweep_folder
from multivector.experiments.errors import UsageError
from multivector.model.contract import output_columns

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


def line(option: dict, name: str, panel: int = 0) -> dict:
    found = [s for s in option["series"] if s.get("name") == name and s.get("xAxisIndex", 0) == panel]
    assert len(found) == 1, f"expected one {name!r} series in panel {panel}, found {len(found)}"
    return found[0]


def test_time_series_span_the_whole_run_and_follow_the_frame():
    frame = contract_frame(6)
    option = charts.per_power_domain_option(frame, POWERS, AXIS, "engagement")
    assert len(option["grid"]) == len(POWERS)
    assert all(x["data"] == AXIS.dates and len(x["data"]) == 21 for x in option["xAxis"])  # fixed from the start
    economy = line(option, "economy", panel=1)  # CHN
    assert economy["data"] == pytest.approx(frame["engagement_CHN_economy"].round(3).tolist())
    assert economy["color"] == palette.DOMAIN_COLOURS["economy"]
    assert all(y["max"] == 1.0 and y["min"] == 0.0 for y in option["yAxis"])  # shares on [0, 1]
    longer = charts.per_power_domain_option(contract_frame(12), POWERS, AXIS, "engagement")
    assert len(line(longer, "economy", panel=1)["data"]) == 13


def test_events_are_marked_and_named_on_hover():
    marks = charts.event_marks(AXIS)
    assert [m["xAxis"] for m in marks["data"]] == ["1992Q2", "1994Q2"]
    assert [m["name"] for m in marks["data"]] == ["1992Q2: Treaty", "1994Q2: Crisis"]
    assert marks["label"]["show"] is False and marks["emphasis"]["label"]["show"] is True
    option = charts.outcomes_option(contract_frame(20), POWERS, AXIS)
    for panel in (0, 1):  # every event once in each panel, the halves' boxes running inwards
        marks = [s["markLine"] for s in option["series"] if "markLine" in s and s["xAxisIndex"] == panel]
        assert sorted(m["name"] for mark in marks for m in mark["data"]) == ["1992Q2: Treaty", "1994Q2: Crisis"]
        assert [mark["emphasis"]["label"]["offset"][0] > 0 for mark in marks] == [True, False]


def test_every_run_chart_is_plain_json_from_a_contract_frame():
    frame = contract_frame(20)
    frame.loc[3, "autonomy"] = np.nan  # a gap, not a NaN the browser cannot parse
    options = [charts.per_power_domain_option(frame, POWERS, AXIS, "dependence"),
               charts.reactions_option(frame, POWERS, AXIS), charts.outcomes_option(frame, POWERS, AXIS),
               charts.ties_option(np.full((3, 3), 0.4), np.full((3, 3), 0.1), POWERS, date="1992Q1")]
    for option in options:
        text = json.dumps(option, allow_nan=False)
        assert option["animation"] is False and "legend" in option and text
    assert line(options[2], "autonomy")["data"][3] is None


def test_coercion_is_marked_in_the_quarters_it_happens():
    frame = contract_frame(10)
    frame["coercion_RUS"] = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3]  # events to date
    option = charts.reactions_option(frame, POWERS, AXIS)
    assert [d[0] for d in line(option, "coercion", panel=0)["data"]] == ["1992Q2", "1993Q1", "1994Q2"]


def test_ties_edges_grow_with_engagement_and_dependence_is_per_domain():
    engagement = np.zeros((3, 3))
    engagement[1, 2] = 1.0  # CHN, institutions
    dependence = np.array([[0.62, 0.41, 0.13], [0.0, 0.2, 0.3], [0.0, 0.5, 0.2]])
    option = charts.ties_option(engagement, dependence, POWERS, date="2000Q1")
    links = {(link["target"], link["lineStyle"]["color"]): link for link in option["series"][0]["links"]}
    widest = links["CHN", palette.DOMAIN_COLOURS["institutions"]]["lineStyle"]["width"]
    assert widest > 5 * links["RUS", palette.DOMAIN_COLOURS["security"]]["lineStyle"]["width"]
    assert "2000Q1" in option["title"]["text"]
    labels = [n["label"].get("formatter", "") for n in option["series"][0]["data"]]
    russia = next(text for text in labels if text.startswith("dependence on RUS"))
    assert "sec. 0.62" in russia and "eco. 0.41" in russia and "ins. 0.13" in russia
    assert "1.16" not in russia  # the sum over domains is not a share and is not shown


def test_compare_table_gives_means_with_intervals_and_names_highest_and_lowest():
    from multivector.experiments.compare import compare_strategies

    comparison = compare_strategies("stylised", replications=3, seed=5, steps=6)
    summary = comparison.summary()
    html = outcome_table_html(summary)
    assert html.count("<tr>") == 1 + len(model.STRATEGIES)
    hedge = summary[(summary.strategy == "hedge") & (summary.metric == "autonomy")].iloc[0]
    assert f"{hedge['mean']:.3g}<br>" in html and f"[{hedge['ci_low']:.3g}, {hedge['ci_high']:.3g}]" in html
    sentences = outcome_sentences(summary)
    assert sentences[0].startswith("Autonomy (higher is better): highest ")
    assert any(s.startswith("Highest client index (lower is better)") for s in sentences)
    assert all("intervals" in s for s in sentences)
    option = charts.strategy_means_option(comparison.steps, "max_client_index", "Client index", comparison.power_ids,
                                          charts.TimeAxis(start="2000Q1", steps=6))
    assert [s["name"] for s in option["series"]] == list(model.STRATEGIES)
    assert all(len(s["data"]) == 7 for s in option["series"])


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
    from multivector.experiments.app.sweep_folder import open_confined

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
    with pytest.raises(UsageError, match="python.* -m multivector.experiments.app.assets"):
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


def test_compare_table_does_not_rank_strategies_it_cannot_tell_apart():
    from multivector.experiments.app.compare_view import SHOWN_METRICS

    rows = []
    for strategy, (mean, low, high) in {"hedge": (0.10, 0.0, 0.30), "balance": (0.15, 0.0, 0.40),
                                        "bandwagon": (0.90, 0.80, 1.00)}.items():
        for metric, _label, _better in SHOWN_METRICS:
            rows.append({"strategy": strategy, "metric": metric, "mean": mean, "ci_low": low, "ci_high": high, "n": 5})
    html = outcome_table_html(pd.DataFrame(rows))
    coercion = SHOWN_METRICS.index(next(m for m in SHOWN_METRICS if m[0] == "coercion_events"))
    cells = {row.split("</td>")[0].split(">")[-1]: row.split("<td")[2 + coercion] for row in html.split("<tr>")[2:]}
    best_colour = "background:rgb(200,255,205)"
    assert best_colour in cells["hedge"] and "font-weight:bold" in cells["hedge"]  # fewer events is better
    assert best_colour in cells["balance"] and "font-weight:bold" not in cells["balance"]  # overlaps the best
    assert best_colour not in cells["bandwagon"]


def test_a_live_chart_sends_its_frame_once_and_then_only_data():
    from multivector.experiments.app.live_chart import LiveEchartsWidget, show, shown

    widget = LiveEchartsWidget()
    sent = []
    widget.observe(lambda change: sent.append(change["name"]), names=["option", "update"])
    for steps in (4, 5, 6):
        show(widget, charts.per_power_domain_option(contract_frame(steps), POWERS, AXIS, "engagement"))
    assert sent == ["option", "update", "update", "update"]  # axes, legends and event marks went once
    assert all(s["data"] == [] for s in widget.option["series"])
    economy = next(s for s in shown(widget)["series"] if s["name"] == "economy" and s["xAxisIndex"] == 1)
    assert len(economy["data"]) == 7
    assert widget.sequence == 3  # one per frame: what the browser answers with once drawn


def test_the_ties_picture_moves_without_resending_its_frame():
    from multivector.experiments.app.live_chart import LiveEchartsWidget, show, shown

    widget = LiveEchartsWidget()
    sent = []
    widget.observe(lambda change: sent.append(change["name"]), names=["option", "update"])
    rng = np.random.default_rng(0)
    pictures = [charts.ties_option(rng.random((3, 3)), rng.random((3, 3)), POWERS, "KAZ", date=date)
                for date in ("1992Q1", "1992Q2")]
    for picture in pictures:
        show(widget, picture)
    assert sent == ["option", "update", "update"]
    # what the browser draws is the whole second picture: its edges, labels and dated title
    assert shown(widget) == pictures[1]


def test_a_live_chart_waits_for_the_browser_only_once_one_has_answered():
    from multivector.experiments.app.live_chart import LiveEchartsWidget

    widget = LiveEchartsWidget()
    assert widget.wait_drawn(5, timeout=10) is False  # no browser yet: never blocks
    widget.vue_frame_drawn(16)
    assert widget.wait_drawn(16, timeout=10) is True
    assert widget.wait_drawn(17, timeout=0.05) is False  # a frame not drawn yet: waits, then gives up
    widget.vue_frame_drawn(32)
    assert widget.wait_drawn(20, timeout=10) is True


def test_the_live_columns_are_the_records_columns():
    from multivector.experiments.app.session import RunSession

    session = RunSession()
    session.step(5)
    columns, frame = session.columns(), session.frame()
    for name in ("autonomy", "welfare", "engagement_RUS_security", "coercion_CHN"):
        np.testing.assert_array_equal(columns[name], frame[name].to_numpy(dtype=float))
    session.step(1)  # a model stepping on does not lengthen columns already taken
    assert len(columns["welfare"]) == 6 and len(session.columns()["welfare"]) == 7
    for option in (charts.outcomes_option, charts.reactions_option):
        assert option(columns, POWERS, AXIS) == option(frame, POWERS, AXIS)


def test_small_multiples_draw_one_panel_per_case_with_its_events():
    from multivector.experiments.app import across_cases

    results = across_cases.run_cases(["kazakhstan", "stylised"], 3, 0)
    option = across_cases.cases_option(results, "autonomy", "Autonomy")
    assert len(option["grid"]) == len(option["xAxis"]) == 2
    means = [s for s in option["series"] if s["name"] == "mean over runs"]
    assert len(means) == 2 and {s["xAxisIndex"] for s in means} == {0, 1}
    # each case on its own calendar, with its own events on hover
    assert option["xAxis"][0]["data"][0] == "1991Q4" and option["xAxis"][1]["data"][0] == "2000Q1"
    assert len(means[0]["markLine"]["data"]) == len(model.load_scenario("kazakhstan").events)
    assert means[1]["markLine"]["data"] == []
    # the mean is the runs' mean; the scale is shared and covers every value
    runs = results[0].values["autonomy"]
    assert means[0]["data"][-1] == pytest.approx(runs[-1].mean(), abs=1e-3)
    assert all(axis["max"] >= max(v for s in option["series"] for v in s["data"] if v is not None)
               for axis in option["yAxis"])
    assert results[0].strategy == "historical" and results[1].strategy == "hedge"


def test_app_sweep_on_the_command_line_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    """`multivector app --sweep results/tiny` from the folder holding results/ opens results/tiny
    (it used to look for results/results/tiny); a name under --sweep-root still works."""
    from multivector.experiments.app.sweep_folder import MANIFEST, SWEEP_ENV

    sweep = tmp_path / "results" / "tiny"
    sweep.mkdir(parents=True)
    (sweep / MANIFEST).write_text("{}")
    monkeypatch.chdir(tmp_path)
    for arguments in ({"sweep": "results/tiny"}, {"sweep": "results/tiny", "sweep_root": "results"},
                      {"sweep": "tiny", "sweep_root": "results"}):
        env = app_cli.server_environment(base={}, **arguments)
        assert env[SWEEP_ENV] == str(sweep.resolve()), arguments
    with pytest.raises(UsageError, match="not a sweep folder"):
        app_cli.server_environment("elsewhere", base={}, sweep_root="results")
