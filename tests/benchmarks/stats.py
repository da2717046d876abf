"""Median and spread of repeated measurements."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass


@dataclass
class Summary:
    median: float
    p90: float
    min: float
    max: float
    stdev: float
    rounds: int

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def summarize(values: list[float]) -> Summary:
    if not values:
        raise ValueError("no measurements")
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return Summary(
        median=statistics.median(ordered),
        p90=p90,
        min=ordered[0],
        max=ordered[-1],
        stdev=statistics.pstdev(ordered) if len(ordered) > 1 else 0.0,
        rounds=len(ordered),
    )
