"""Charts of the dataset's statistics (matplotlib, written as PNG without a display)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitrep.store.query import StatRow

KINDS = ("killed", "injured", "displaced")
MAX_GROUPS = 8


def _periods(first: date, last: date, by: str) -> list[date]:
    """Every period start from ``first`` to ``last``."""
    out = []
    d = first
    while d <= last:
        out.append(d)
        if by == "day":
            d += timedelta(days=1)
        elif by == "week":
            d += timedelta(days=7)
        else:
            d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def plot_stats(
    rows: Sequence[StatRow], path: str, *, by: str, group: str, figure: str = "best"
) -> None:
    """Killed, injured and displaced over time, one panel each, one line per group (the
    largest groups by killed, the rest summed as 'other')."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weight: dict[str, int] = defaultdict(int)
    for r in rows:
        weight[r.group] += r.killed + r.injured + r.displaced
    top = sorted(weight, key=lambda g: (-weight[g], g))[:MAX_GROUPS]
    series: dict[str, dict[str, dict[date, int]]] = {
        k: defaultdict(lambda: defaultdict(int)) for k in KINDS
    }
    for r in rows:
        g = r.group if r.group in top else "other"
        for k in KINDS:
            series[k][g][r.period] += getattr(r, k)
    periods = _periods(min(r.period for r in rows), max(r.period for r in rows), by) if rows else []
    fig, axes = plt.subplots(len(KINDS), 1, figsize=(10, 8), sharex=True)
    for ax, kind in zip(axes, KINDS, strict=True):
        for g, points in sorted(series[kind].items()):
            xs = periods  # a period without incidents is a zero, not a gap
            label = g if group != "none" else kind
            ax.plot(xs, [points[x] for x in xs], marker="o", markersize=3, label=label)
        ax.set_ylabel(f"{kind} ({figure})")
        ax.grid(True, alpha=0.3)
        if group != "none" and series[kind]:
            ax.legend(fontsize="small", loc="upper left")
    axes[0].set_title(
        f"sitrep: people affected per {by}" + (f" by {group}" if group != "none" else "")
    )
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
