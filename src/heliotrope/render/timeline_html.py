"""The timeline as one self-contained HTML page: the plot as inline SVG, the alerts, the
intervals (DM activity beside tumour burden), DM activity per date and every event.

No external assets, scripts or fonts; a Content-Security-Policy forbids loading any. Every piece
of record text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from heliotrope import __version__
from heliotrope.timeline import ActivityPoint, Alert, Interval, Timeline, TimelineEvent

__all__ = ["render_timeline_html"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem;
       color: #1b1b1b; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
.figure svg { width: 100%; height: auto; }
.alert { border: 2px solid #b00000; background: #fdeaea; padding: 0.6rem 0.8rem;
         margin: 0.6rem 0; }
.alert.watch { border-style: dashed; border-color: #555; background: #f6f6f6; }
.alert.info { border-style: dotted; border-color: #555; background: #f6f6f6; }
.alert h3 { margin: 0 0 0.3rem; font-size: 1rem; }
.flare { font-weight: bold; }
.muted { color: #555; font-size: 0.85rem; }
code { font-size: 0.8rem; }
"""
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_XML_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table whose cells are already escaped HTML."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _alert(alert: Alert) -> str:
    changes = "".join(f"<li>{_e(c)}</li>" for c in alert.changes)
    cancers = "".join(f"<li>{_e(c)}</li>" for c in alert.cancers)
    evidence = "".join(
        f"<li><code>{_e(e.path)}</code> {_e(e.summary)}"
        + (f' <span class="muted">({_e(e.source.where())})</span>' if e.source else "")
        + "</li>"
        for e in alert.evidence
    )
    cites = "".join(f"<li>{_e(c)}</li>" for c in alert.citations)
    parts = [
        f'<div class="alert {_e(alert.level)}" role="alert">',
        f"<h3>{_e(alert.level.upper())} {_e(alert.when)} — {_e(alert.title)}</h3>",
        f"<p>{_e(alert.message)}</p>",
        f"<p><strong>What changed</strong></p><ul>{changes}</ul>" if changes else "",
        f"<p><strong>Cancer</strong></p><ul>{cancers}</ul>" if cancers else "",
        f"<details><summary>Evidence</summary><ul>{evidence}</ul></details>" if evidence else "",
        f'<p class="muted">Rule <code>{_e(alert.id)}</code>.</p><ul class="muted">{cites}</ul>',
        "</div>",
    ]
    return "".join(parts)


def _interval_row(interval: Interval) -> list[str]:
    summary = interval.dm_summary()
    start = interval.start.when if interval.start else "—"
    end = interval.end.when if interval.end else f"{interval.last} (open)"
    dm = _e(summary["text"])
    if summary.get("flares"):
        dm = f'<span class="flare">{dm}</span>'
    return [
        f"{_e(start)} → {_e(end)}",
        _e(interval.tumour_text),
        dm,
        _e(", ".join(interval.treatments.get("cancer", ())) or "none"),
        _e(", ".join(interval.treatments.get("myositis", ())) or "none"),
    ]


def _activity_row(point: ActivityPoint) -> list[str]:
    changes = "<br>".join(
        _e(f"{name}: {change.text}")
        for name, change in point.changes.items()
        if change.trend != "not_assessed"
    )
    flare = point.flare
    return [
        _e(point.when),
        _e(point.skin.label if point.skin else "not assessed"),
        _e(point.muscle.label if point.muscle else "not assessed"),
        _e(point.enzymes.label if point.enzymes else "not measured"),
        _e(point.measures.label if point.measures else "—"),
        f'<span class="flare">{_e(flare)}</span>' if flare == "yes" else _e(flare),
        changes,
        _e(", ".join(point.on_treatment) or "—"),
    ]


def _event_row(event: TimelineEvent) -> list[str]:
    return [
        _e(event.when),
        _e(event.kind.replace("_", " ")),
        _e(event.summary),
        _e(event.detail or ""),
        f"<code>{_e(event.path)}</code>",
        _e(event.source or ""),
    ]


def _svg(timeline: Timeline) -> str:
    from heliotrope.render.plot import plot_bytes

    svg = plot_bytes(timeline, "svg").decode("utf-8")
    svg = _METADATA.sub("", svg, count=1)
    return _XML_PROLOGUE.sub("", svg, count=1)


def render_timeline_html(timeline: Timeline) -> str:
    """The whole page as a string."""
    title = f"heliotrope timeline — patient {timeline.patient_id}"
    notes = []
    if timeline.nominal:
        notes.append("Dates are nominal, as the record says: only their spacing is meaningful.")
    if any(not e.when.exact for e in timeline.events):
        notes.append("Partial dates are shown as ranges and placed at their middle.")
    alerts = "".join(_alert(a) for a in timeline.alerts) or "<p>No alerts.</p>"
    undated = (
        "<p class='muted'>Undated facts (not on the axis): "
        + ", ".join(f"<code>{_e(p)}</code>" for p in timeline.undated)
        + "</p>"
        if timeline.undated
        else ""
    )
    sections = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "".join(f'<p class="muted">{_e(n)}</p>' for n in notes),
        "<h2>Alerts</h2>",
        alerts,
        f'<div class="figure" role="img" aria-label="{_e(title)}">{_svg(timeline)}</div>',
        "<h2>DM activity and tumour burden, interval by interval</h2>",
        _table(
            ("interval", "tumour", "DM activity", "cancer treatment", "DM treatment"),
            (_interval_row(i) for i in timeline.intervals),
        )
        if timeline.intervals
        else "<p>No dated tumour assessments.</p>",
        "<h2>DM activity per date</h2>",
        _table(
            ("date", "skin", "muscle", "enzymes", "measures", "flare", "changes", "on treatment"),
            (_activity_row(p) for p in timeline.activity),
        ),
        "<h2>Events</h2>",
        _table(
            ("date", "kind", "summary", "detail", "path", "source"),
            (_event_row(e) for e in timeline.events),
        ),
        undated,
        f'<p class="muted">Generated by heliotrope {_e(__version__)}. Skin score: 2 per '
        "hallmark DM sign, 1 per supportive sign. Alerts prompt review; they do not diagnose."
        "</p>",
        "</body></html>",
    ]
    return "\n".join(s for s in sections if s)
