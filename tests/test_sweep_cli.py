"""The sweep subcommands end to end: bad input exits 2 with one line naming the field and
writes nothing; a good sweep, `analyze` and `plot` work from the command line.

They run ``multivector`` when the main CLI has the subcommands, else ``python -m
experiments.sweep`` (the same handlers).
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from multivector import model

pytestmark = pytest.mark.skipif(not hasattr(model, "MultivectorModel"), reason="the model is not there yet")

REPO = Path(__file__).resolve().parents[1]
MULTIVECTOR = Path(sys.executable).parent / "multivector"


def command() -> list[str]:
    if importlib.util.find_spec("multivector.experiments.cli") is not None and MULTIVECTOR.exists():
        return [str(MULTIVECTOR)]
    return [sys.executable, "-m", "multivector.experiments.sweep"]


def cli(*args, cwd=REPO):
    return subprocess.run([*command(), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


GOOD = """
[experiment]
name = "cli"
scenario = "stylised"
steps = 6
replications = 2
seed = 7
strategies = ["hedge", "balance"]
[design]
kind = "sobol"
samples = 4
[factors]
"rivalry.scale" = { low = 0.5, high = 1.5 }
"reactions.pressure_cost" = { low = 0.0, high = 0.3 }
[collect]
measures = ["autonomy", "welfare", "hedging_index"]
"""

BAD = [
    ("unknown key", GOOD.replace("seed = 7", "seed = 7\nsead = 8"), "experiment.sead: unknown key"),
    ("unknown path", GOOD.replace('"rivalry.scale"', '"rivalry.scael"'), '"rivalry.scael"'),
    ("out of range", GOOD.replace("high = 0.3", "high = 3.0"), 'factors."reactions.pressure_cost"'),
    ("malformed", GOOD.replace("[design]", "[design"), "malformed TOML"),
    ("strategy", GOOD.replace('"balance"]', '"balancing"]'), "experiment.strategies[1]"),
    ("scenario", GOOD.replace('"stylised"', '"narnia"'), "experiment.scenario"),
    ("design kind", GOOD.replace('"sobol"', '"taguchi"'), "design.kind"),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_experiment_exits_2_with_one_line_and_writes_nothing(tmp_path, name, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = cli("sweep", path, "--out", tmp_path / "out")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("multivector: error: ") and expected in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_sweep_analyze_plot(tmp_path):
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    out = tmp_path / "out"
    result = cli("sweep", path, "--out", out, "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cli: 2 strategies x 16 sobol points x 2 replications = 64 runs")
    assert {p.name for p in out.iterdir()} >= {"manifest.json", "runs.parquet", "design.parquet", "experiment.toml"}
    # a second sweep into the same folder is refused
    again = cli("sweep", path, "--out", out)
    assert again.returncode == 2 and "use --resume" in again.stderr
    analyzed = cli("analyze", out, "--measure", "autonomy")
    assert analyzed.returncode == 0, analyzed.stderr
    assert "== sobol indices ==" in analyzed.stdout and "ST_conf" in analyzed.stdout
    refused = cli("analyze", out, "--method", "morris")
    assert refused.returncode == 2 and "Morris indices need a morris design" in refused.stderr
    plotted = cli("plot", out, "--out", tmp_path / "figs")
    assert plotted.returncode == 0, plotted.stderr
    written = {Path(line).name for line in plotted.stdout.split()}
    assert {"outcomes-by-strategy.png", "outcomes-by-strategy.svg", "sobol-autonomy.png", "sobol-autonomy.svg"} <= written
    assert cli("analyze", tmp_path).returncode == 2  # not a sweep folder


def test_plot_draws_the_factor_a_sweep_varies_and_analyze_flags_constant_outputs(tmp_path, capsys):
    """The smoke sweep varies rivalry.scale: a figure by that factor; its entrapment is 0 in every run."""
    from multivector.experiments.cli import main
    from multivector.experiments.sweep import analysis
    from multivector.experiments.sweep.store import open_sweep

    design = Path(__file__).resolve().parents[1] / "experiments" / "designs" / "smoke.toml"
    out = tmp_path / "smoke"
    assert main(["sweep", str(design), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["plot", str(out)]) == 0
    assert (out / "figures" / "by-rivalry.scale.png").stat().st_size > 10_000
    table = analysis.summary_by_strategy(open_sweep(out).runs, ["autonomy"])
    assert ((table["ci_low"] >= 0) & (table["ci_high"] <= 1)).all(), "intervals stay in autonomy's range"


def test_sobol_analysis_says_why_it_gives_no_indices_or_unreliable_ones(tmp_path):
    from multivector.experiments.sweep import analysis
    from multivector.experiments.sweep.sweeper import run_sweep
    from multivector.experiments.sweep.store import open_sweep

    design = tmp_path / "sobol.toml"
    design.write_text('''
[experiment]
name = "tiny-sobol"
scenario = "stylised"
steps = 4
seed = 3
strategies = ["hedge"]
[design]
kind = "sobol"
samples = 8
[factors]
"rivalry.scale" = { low = 0.5, high = 2.0 }
"secondary.prudence" = { low = 0.1, high = 0.9 }
[collect]
measures = ["autonomy", "entrapment"]
''')
    run_sweep(design, out=tmp_path / "s", workers=1, announce=lambda _: None, progress=False)
    indices = analysis.sobol_indices(open_sweep(tmp_path / "s"), ["autonomy", "entrapment"])
    constant = indices[indices["measure"] == "entrapment"]
    assert constant["ST"].isna().all() and constant["note"].str.contains("constant output").all()
    varied = indices[indices["measure"] == "autonomy"]
    assert varied["note"].str.contains("unreliable").all(), "N = 8 is flagged, not printed as if it were fine"
