"""The cross-case test (issue 18, items 3-4): every real case under every rule, which structural
inputs decide hedging's advantage, and C10 ("a model strategy for secondary states") from real cases.

- :mod:`.world`: the world each case runs in (the joint calibration's, or the case's own scenario);
- :mod:`.matrix`: the case-by-rule matrix as sweeps the report runs or reuses, and hedging against
  the best available form of each alternative, case by case;
- :mod:`.drivers`: each case's structural inputs from its data, a shallow tree of hedging's
  advantage on them, and Sobol indices over the same inputs in the stylised scenario;
- :mod:`.verdict`: C10's verdict from the real cases, with the claims' decision rule and status.
"""
