"""The claims report: every claim of the article tested on the calibrated model (``multivector report``)."""
