"""Timeline plots: DM activity, tumour burden and treatments on one date axis.

Drawn on matplotlib's Agg canvas directly (no pyplot, no global backend switch).

Panels, top to bottom:

1. DM activity — skin score and weak regions (left axis), the highest muscle enzyme ×ULN (right
   axis; a censored value is drawn as a triangle pointing the way the true value lies: ▽ "at
   most", △ "at least"); a second panel holds MMT-8 and CDASI activity when the record has them.
2. Tumour — sum of target diameters when RECIST was computed from lesions, otherwise the
   reported response as a categorical step track (assessments without a verdict marked ×).
3. Treatments — one horizontal bar per treatment, hatched by target (cancer, myositis, other);
   an arrow marks a drug still given; a diamond a single-day procedure.

Restaging alerts are shaded, hatched spans across every panel with a star; "watch" notes are
hollow triangles; record events are dotted vertical lines. Every series has its own marker,
line style or hatch, so the figure reads in greyscale. Record text is drawn literally (``$`` is
escaped so it never becomes mathtext). Files are written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from heliotrope.errors import InputError
from heliotrope.io import write_atomic
from heliotrope.timeline import Timeline

__all__ = ["PLOT_FORMATS", "plot_bytes", "timeline_figure", "write_plot"]

PlotFormat = Literal["png", "svg"]
PLOT_FORMATS = (".png", ".svg", ".html")
RESPONSE_ROWS = ("no verdict", "NE", "CR", "PR", "non-CR/non-PD", "SD", "PD")
_RESPONSE_NAME = {"non_CR_non_PD": "non-CR/non-PD"}
_TARGET_STYLE = {
    "cancer": {"facecolor": "#4c72b0", "hatch": "///"},
    "myositis": {"facecolor": "#dd8452", "hatch": "..."},
    "other": {"facecolor": "#bbbbbb", "hatch": ""},
}
_RC: Any = {
    "svg.hashsalt": "heliotrope",
    "svg.fonttype": "path",
    "font.size": 9,
    "text.usetex": False,
    "hatch.linewidth": 0.8,
}


def _plain(text: str, limit: int = 40) -> str:
    """Record text as a literal label: shortened, with ``$`` escaped (no mathtext)."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _num(day: date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _nums(days: Sequence[date]) -> list[float]:
    return [_num(d) for d in days]


def _span(timeline: Timeline) -> tuple[date, date]:
    days = [e.when.mid for e in timeline.events] + [p.when.mid for p in timeline.activity]
    days += [b.start for b in timeline.treatments]
    days += [b.stop for b in timeline.treatments if b.stop is not None]
    if not days:
        today = date.today()
        return today - timedelta(days=30), today
    low, high = min(days), max(days)
    pad = max(timedelta(days=14), (high - low) * 0.04)
    return low - pad, high + pad


def _legend_above(ax: Axes, handles: list[Any]) -> None:
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(handles),
        fontsize=7,
        frameon=False,
    )


def _activity_panel(ax: Axes, timeline: Timeline) -> None:
    """Markers per assessment; faint connectors only (no data is drawn between them)."""
    points = timeline.activity
    days = _nums([p.when.mid for p in points])
    skin = [float(p.skin.score) if p.skin else float("nan") for p in points]
    weak = [float(len(p.muscle.weak)) if p.muscle else float("nan") for p in points]
    ax.plot(days, skin, "-", color="#8c1c13", lw=0.8, alpha=0.35)
    ax.plot(days, skin, "o", color="#8c1c13", ms=7, label="skin score")
    ax.plot(days, weak, "--", color="#1f4e79", lw=0.8, alpha=0.35)
    ax.plot(days, weak, "^", color="#1f4e79", ms=7, label="weak regions")
    ax.set_ylabel("skin score /\nweak regions")
    top = max([v for v in skin + weak if v == v] + [1.0])
    ax.set_ylim(-0.5, top * 1.35 + 1)
    twin = ax.twinx()
    uln = [
        p.enzymes.highest[1] if p.enzymes and p.enzymes.highest else float("nan") for p in points
    ]
    twin.plot(days, uln, ":", color="#333333", lw=0.8, alpha=0.5)
    kinds = [_censoring(p) for p in points]
    for kind, marker, label in (
        ("exact", "s", "highest enzyme ×ULN"),
        ("below", "v", "censored '<': at most this"),
        ("above", "^", "censored '>': at least this"),
    ):
        shown = [v if k == kind else float("nan") for v, k in zip(uln, kinds, strict=True)]
        if kind == "exact" or any(v == v for v in shown):
            twin.plot(days, shown, marker, color="#333333", ms=6, mfc="white", label=label)
    twin.axhline(1.0, color="#777777", lw=0.6, ls=(0, (1, 3)))
    twin.set_ylabel("highest enzyme ×ULN")
    twin.set_ylim(0, max([v for v in uln if v == v] + [1.5]) * 1.35)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    _legend_above(ax, handles)
    for point, value in zip(points, skin, strict=True):
        if point.flare == "yes":
            ax.annotate(
                "flare",
                (_num(point.when.mid), value if value == value else 0.0),
                textcoords="offset points",
                xytext=(-8, -4),
                ha="right",
                fontsize=7,
                fontweight="bold",
            )


def _censoring(point: Any) -> str:
    """How the point's highest enzyme was reported: exact, or censored below / above (a
    censored value is drawn as such, never as an exact one; issue 7)."""
    enzymes = point.enzymes
    if enzymes is None or enzymes.highest is None:
        return "exact"
    comparator = dict(enzymes.censored).get(enzymes.highest[0])
    if comparator is None:
        return "exact"
    return "below" if comparator.startswith("<") else "above"


def _measures_panel(ax: Axes, timeline: Timeline) -> None:
    points = [p for p in timeline.activity if p.measures is not None]
    days = _nums([p.when.mid for p in points])
    mmt8 = [
        p.measures.mmt8 if p.measures and p.measures.mmt8 is not None else float("nan")
        for p in points
    ]
    cdasi = [
        p.measures.cdasi_activity
        if p.measures and p.measures.cdasi_activity is not None
        else float("nan")
        for p in points
    ]
    ax.plot(days, mmt8, "D-", color="#2d6a4f", ms=5, label="MMT-8 (0-80)")
    ax.set_ylabel("MMT-8")
    ax.set_ylim(0, 82)
    twin = ax.twinx()
    twin.plot(days, cdasi, "v-.", color="#6a3d9a", ms=5, label="CDASI activity")
    twin.set_ylabel("CDASI activity")
    twin.set_ylim(0, 100)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    _legend_above(ax, handles)


def _tumour_panel(ax: Axes, timeline: Timeline) -> None:
    points = timeline.tumour
    sized = [p for p in points if p.sum_mm is not None]
    if sized:
        ax.plot(
            _nums([p.when.mid for p in sized]),
            [p.sum_mm or 0.0 for p in sized],
            "o-",
            color="#1b1b1b",
        )
        for p in sized:
            ax.annotate(
                _plain(p.status or "", 16),
                (_num(p.when.mid), p.sum_mm or 0.0),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
            )
        ax.set_ylabel("sum of target\ndiameters (mm)")
        ax.set_ylim(0, max(p.sum_mm or 0.0 for p in sized) * 1.25 + 1)
        reported = [p for p in points if p.origin == "reported"]
        for p in reported:
            ax.axvline(_num(p.when.mid), color="#555555", lw=0.6, ls="--")
        return
    rows = {name: index for index, name in enumerate(RESPONSE_ROWS)}
    known = [p for p in points if p.status is not None]
    xs = _nums([p.when.mid for p in known])
    ys = [rows.get(_RESPONSE_NAME.get(p.status or "", p.status or ""), 1) for p in known]
    if known:
        ax.step(xs, ys, where="post", color="#1b1b1b", lw=1.2)
        ax.plot(xs, ys, "o", color="#1b1b1b", ms=6, label="reported response")
        for x, y, p in zip(xs, ys, known, strict=True):
            ax.annotate(
                f"{p.status} ({p.origin})",
                (x, y),
                textcoords="offset points",
                xytext=(4, 5),
                fontsize=7,
            )
    blank = [p for p in points if p.status is None]
    if blank:
        ax.plot(
            _nums([p.when.mid for p in blank]),
            [0] * len(blank),
            "x",
            color="#444444",
            ms=7,
            label="assessed, no verdict",
        )
    ax.set_yticks(range(len(RESPONSE_ROWS)))
    ax.set_yticklabels(RESPONSE_ROWS, fontsize=7)
    ax.set_ylim(-0.7, len(RESPONSE_ROWS) - 0.3)
    ax.set_ylabel("tumour response\n(reported)")
    if known or blank:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)


def _treatment_panel(ax: Axes, timeline: Timeline, end: date) -> None:
    bars = timeline.treatments
    for row, bar in enumerate(bars):
        style = _TARGET_STYLE.get(bar.target, _TARGET_STYLE["other"])
        if bar.single_day:
            ax.plot(_num(bar.start), row, "D", color=style["facecolor"], mec="black", ms=6)
            continue
        stop = bar.stop or end
        ax.broken_barh(
            [(_num(bar.start), max(_num(stop) - _num(bar.start), 1.0))],
            (row - 0.35, 0.7),
            facecolors=style["facecolor"],
            edgecolors="black",
            hatch=style["hatch"],
            linewidth=0.6,
        )
        if bar.stop is None:
            ax.annotate("→", (_num(end), row), va="center", ha="right", fontsize=9)
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([_plain(b.label, 28) for b in bars], fontsize=7)
    ax.set_ylim(len(bars) - 0.4, -0.6)
    ax.set_ylabel("treatments")
    legend = [
        Patch(facecolor=s["facecolor"], hatch=s["hatch"], edgecolor="black", label=name)
        for name, s in _TARGET_STYLE.items()
        if any(b.target == name for b in bars)
    ]
    if legend:
        ax.legend(
            handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False
        )


def _marks(axes: Sequence[Axes], timeline: Timeline) -> None:
    for event in timeline.events:
        if event.kind != "event":
            continue
        for ax in axes:
            ax.axvline(_num(event.when.mid), color="#999999", lw=0.7, ls=":", zorder=0)
        label = _plain(event.summary.split(":", 1)[0], 24)
        axes[0].annotate(
            label,
            (_num(event.when.mid), 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -2),
            textcoords="offset points",
            rotation=90,
            va="top",
            fontsize=6.5,
            color="#444444",
        )
    for alert in timeline.alerts:
        start, stop = _num(alert.when.earliest) - 4, _num(alert.when.latest) + 4
        if alert.level == "alert":
            for ax in axes:
                ax.axvspan(
                    start,
                    stop,
                    facecolor="#f4a6a6",
                    edgecolor="#b00000",
                    hatch="xx",
                    alpha=0.35,
                    lw=0.8,
                    zorder=0,
                )
            axes[0].plot(
                _num(alert.when.mid),
                0.93,
                "*",
                transform=axes[0].get_xaxis_transform(),
                ms=15,
                color="#b00000",
                mec="black",
                zorder=5,
            )
            axes[0].annotate(
                "restage alert",
                (_num(alert.when.mid), 0.93),
                xycoords=("data", "axes fraction"),
                xytext=(9, -3),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold",
                color="#b00000",
            )
        elif alert.level == "watch":
            axes[0].plot(
                _num(alert.when.mid),
                0.93,
                "^",
                transform=axes[0].get_xaxis_transform(),
                ms=10,
                mfc="white",
                mec="black",
                zorder=5,
            )
        else:
            axes[0].plot(
                _num(alert.when.mid),
                0.93,
                "P",
                transform=axes[0].get_xaxis_transform(),
                ms=9,
                mfc="white",
                mec="black",
                zorder=5,
            )


def _caption(timeline: Timeline) -> str:
    parts = []
    if timeline.nominal:
        parts.append("Dates are nominal (as the record says): only their spacing is meaningful.")
    if any(not e.when.exact for e in timeline.events):
        parts.append("Partial dates are drawn at the middle of their range.")
    parts.append(
        "Skin score: 2 per hallmark DM sign, 1 per supportive sign. ★ restaging alert "
        "(timeline.restage_alert.v1), △ watch. Alerts prompt review; they do not diagnose."
    )
    return " ".join(parts)


def timeline_figure(timeline: Timeline) -> Figure:
    """The timeline as a matplotlib figure (not attached to pyplot)."""
    with matplotlib.rc_context(_RC):
        measures = any(p.measures is not None for p in timeline.activity)
        heights = [
            3.0,
            *([1.8] if measures else []),
            2.0,
            max(1.2, 0.32 * len(timeline.treatments)),
        ]
        fig = Figure(figsize=(11, sum(heights) + 1.4), dpi=110)
        FigureCanvasAgg(fig)
        axes = list(
            fig.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights})
        )
        start, end = _span(timeline)
        _activity_panel(axes[0], timeline)
        index = 1
        if measures:
            _measures_panel(axes[index], timeline)
            index += 1
        _tumour_panel(axes[index], timeline)
        _treatment_panel(axes[index + 1], timeline, end)
        _marks(axes, timeline)
        for ax in axes:
            ax.grid(axis="x", color="#dddddd", lw=0.5)
            ax.set_xlim(_num(start), _num(end))
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        axes[-1].xaxis.set_major_locator(locator)
        formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        axes[-1].xaxis.set_major_formatter(formatter)
        axes[-1].set_xlabel("date")
        fig.suptitle(
            f"heliotrope timeline — patient {_plain(timeline.patient_id, 60)}",
            fontsize=12,
            fontweight="bold",
            y=0.985,
        )
        fig.text(0.01, 0.005, _caption(timeline), fontsize=7, wrap=True, va="bottom")
        fig.subplots_adjust(left=0.2, right=0.86, top=0.92, bottom=0.09, hspace=0.22)
    return fig


def plot_bytes(timeline: Timeline, fmt: PlotFormat) -> bytes:
    """The figure as PNG or SVG bytes."""
    fig = timeline_figure(timeline)
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Software": "heliotrope"}
    if fmt == "svg":
        metadata = {"Date": None, "Creator": "heliotrope"}
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def write_plot(timeline: Timeline, path: str | Path) -> Path:
    """Write the plot as .png, .svg or self-contained .html (chosen by the suffix)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".png":
        write_atomic(target, plot_bytes(timeline, "png"))
    elif suffix == ".svg":
        write_atomic(target, plot_bytes(timeline, "svg"))
    elif suffix in (".html", ".htm"):
        from heliotrope.render.timeline_html import render_timeline_html

        write_atomic(target, render_timeline_html(timeline))
    else:
        raise InputError(
            f"Cannot write a plot to {target.name!r}: the file must end in "
            + ", ".join(PLOT_FORMATS)
            + "."
        )
    return target
