"""Kazakhstan between Russia, China and the West, 1991-2024: the stylised facts P1-P10
(``../shared/theory.md`` §4.1, seeds/patterns.md) and the fit to observed trade and arms shares.

``PACK.extras["fit"]`` holds the observed series the calibration scores every run against
(:mod:`experiments.cases.kazakhstan.fit`).
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.kazakhstan import fit
from multivector.experiments.cases.kazakhstan.patterns import FACTS

PACK = CasePack(
    scenario="kazakhstan",
    facts=FACTS,
    notes="seeds/patterns.md",
    # the claims of the source article, tested by `multivector report` (experiments/designs/claims/)
    extras={"fit": fit.series(), "claims": "experiments/designs/claims"},
)
