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
    # the claims `multivector report` tests: this case's own and its roles for the generic ones (a
    # module, imported only by the report)
    extras={"fit": fit.series(), "claims": "multivector.experiments.cases.kazakhstan.claims"},
)
