"""The debrief pack's chart: the page's interval chart as table rows a PDF can print.

WeasyPrint cannot run the page's Vega-Lite chart (it needs a browser), and no library here
renders Vega-Lite server-side; so the pack prints the same data (score and 95 % interval
per finalist) as a table whose last column draws each interval with two positioned boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from secondround.debrief.selectors import Debrief

SCALE = (1.0, 5.0)


@dataclass(frozen=True)
class ChartRow:
    finalist: str
    score: float
    low: float
    high: float
    # Positions on the axis, in percent of its width.
    low_at: float
    width: float
    score_at: float


@dataclass(frozen=True)
class PackChart:
    axis_low: float
    axis_high: float
    rows: list[ChartRow]

    @property
    def ticks(self) -> list[tuple[int, float]]:
        """Each whole rating point on the axis, with its position in percent."""
        span = self.axis_high - self.axis_low
        points = range(math.ceil(self.axis_low), math.floor(self.axis_high) + 1)
        return [(p, round(100 * (p - self.axis_low) / span, 2)) for p in points]


def pack_chart(data: Debrief) -> PackChart:
    """Each finalist's interval placed on an axis spanning every interval (whole points)."""
    if not data.rows:
        return PackChart(SCALE[0], SCALE[1], [])
    lows = [r.result.low for r in data.rows]
    highs = [r.result.high for r in data.rows]
    axis_low = max(SCALE[0], math.floor(min(lows)))
    axis_high = min(SCALE[1], math.ceil(max(highs)))
    if axis_high <= axis_low:
        axis_low, axis_high = SCALE

    def at(value: float) -> float:
        clipped = min(max(value, axis_low), axis_high)
        return round(100 * (clipped - axis_low) / (axis_high - axis_low), 2)

    rows = [
        ChartRow(
            finalist=r.application.candidate.full_name,
            score=r.result.score,
            low=r.result.low,
            high=r.result.high,
            low_at=at(r.result.low),
            width=round(at(r.result.high) - at(r.result.low), 2),
            score_at=at(r.result.score),
        )
        for r in data.rows
    ]
    return PackChart(axis_low, axis_high, rows)
