"""Statistics the models report with: one definition of a percentile for the whole course,
so a chapter's p99 and a lab check's p99 are the same number."""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(sample: Iterable[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``fraction`` of the
    sample at or below it (``fraction`` 0.999 gives p99.9)."""
    ordered = sorted(sample)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
