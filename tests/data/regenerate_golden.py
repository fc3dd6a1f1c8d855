"""Regenerate the golden regression runs: 20 quarters of the Kazakhstan scenario under every
strategy, seed 3. Run only when the model changes on purpose, and say why in the commit:

    .venv/bin/python tests/data/regenerate_golden.py
"""

from pathlib import Path

from multivector import model

FOLDER = Path(__file__).parent / "golden"


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    for strategy in model.STRATEGIES:
        frame = model.simulate("kazakhstan", strategy, seed=3, steps=20)
        path = FOLDER / f"kazakhstan_{strategy}_seed3.csv"
        frame.to_csv(path, index=False, float_format="%.12g", lineterminator="\n")
        print(f"wrote {path} ({len(frame)} rows, {len(frame.columns)} columns)")


if __name__ == "__main__":
    main()
