"""Kazakhstan's observed series the model is fitted to (:mod:`experiments.calibration.fit`).

Trade: the model's yearly economic dependence on Russia, China and the West against the COW trade
shares 1994-2014 (Russia's 2010-2011 values, a recording gap after the Customs Union removed
customs declarations on mutual trade from mid-2010, left out). Arms: the yearly security
dependence against SIPRI shares of major-arms deliveries (years with deliveries, 1995-2023).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from multivector.experiments.calibration.fit import ObservedSeries
from multivector.model.observed import arms_shares, recording_gaps, trade_shares
from multivector.model.scenarios import load_scenario

POWERS = ("RUS", "CHN", "WEST")
TRADE_YEARS = (1994, 2014)


def observed(kind: str) -> pd.DataFrame:
    """Observed yearly shares (years x powers): ``kind`` "trade" or "arms"."""
    case = load_scenario("kazakhstan").case  # the case's own observed series ([case.series])
    shares = trade_shares(case, POWERS) if kind == "trade" else arms_shares(case, POWERS)
    frame = pd.DataFrame.from_dict(shares, orient="index", columns=list(POWERS)).sort_index()
    if kind == "trade":
        frame = frame.loc[TRADE_YEARS[0]:TRADE_YEARS[1]]
        for power, (first, last) in recording_gaps(case).items():
            frame.loc[list(range(first, last + 1)), power] = np.nan
    return frame


@lru_cache(maxsize=1)
def series() -> tuple[ObservedSeries, ...]:
    return (ObservedSeries("trade", "economy", observed("trade"), "COW Trade v4.0 (RUS 2010-11 left out: recording gap)"),
            ObservedSeries("arms", "security", observed("arms"), "SIPRI arms transfers, share of TIV delivered"))
