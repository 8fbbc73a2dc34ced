"""/history's chart: patterns per ISO week as stacked bars, a PNG.

Built with matplotlib's object-oriented API (`Figure` and the Agg canvas) and never pyplot, so
no global figure state is shared: the caller runs it in `asyncio.to_thread`, and several charts
may render at once in different threads. CPU only, no I/O.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coaching.history.overview import HistoryOverview
from coaching.taxonomy import PATTERN_NAMES, PatternId

# One colour per pattern, fixed, so a pattern looks the same from week to week and person to
# person (matplotlib's tab10: ten distinct colours for the ten patterns).
_COLOURS: dict[PatternId, str] = {pattern: f"C{n}" for n, pattern in enumerate(PatternId)}
_SIZE_INCHES = (8.0, 4.5)
_DPI = 100  # 800 x 450 pixels: readable in Discord, and a flat-colour PNG of a few tens of KB
_MIN_SLOTS = 6
_MAX_TICKS = 13  # at most this many week labels; with more weeks every n-th is labelled


def history_chart(overview: HistoryOverview) -> bytes:
    """The PNG: one bar per week with a report, stacked by pattern (stories that showed it),
    patterns named as the person reads them. No weeks: a chart that says so."""
    out = io.BytesIO()
    _figure(overview).savefig(out, format="png", dpi=_DPI)
    return out.getvalue()


def _figure(overview: HistoryOverview) -> Figure:
    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI)
    FigureCanvasAgg(figure)  # attaches itself to the figure; savefig renders through it
    axes = figure.add_subplot()
    weeks = overview.weeks
    shown = [p for p in PatternId if any(w.patterns.get(p) for w in weeks)]
    if not weeks:
        axes.text(0.5, 0.5, "No reports yet", ha="center", va="center", transform=axes.transAxes)
        axes.set_xticks([])
        axes.set_yticks([])
    else:
        positions = list(range(len(weeks)))
        bottom = [0] * len(weeks)
        for pattern in shown:
            heights = [w.patterns.get(pattern, 0) for w in weeks]
            axes.bar(
                positions,
                heights,
                bottom=bottom,
                color=_COLOURS[pattern],
                label=PATTERN_NAMES[pattern],
                width=0.8,
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        step = max(1, -(-len(weeks) // _MAX_TICKS))  # ceiling division
        ticks = positions[::step]
        axes.set_xticks(ticks, [weeks[t].week for t in ticks], rotation=45, ha="right")
        # Room for at least six bars, so one or two weeks do not become slabs across the chart.
        pad = max(0.6, (_MIN_SLOTS - len(weeks)) / 2)
        axes.set_xlim(-pad, len(weeks) - 1 + pad)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # stories are whole
        axes.set_ylabel("Stories")
        if shown:
            # Outside the bars, on the right, so no bar is hidden behind it.
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    axes.set_title("Patterns per week")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure
