"""Timeline plots: PNG, SVG and self-contained HTML, non-blank, with record text escaped."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib.image as mpimg
import numpy as np
import pytest
import yaml

from heliotrope.errors import InputError
from heliotrope.io import load_record, parse_record
from heliotrope.oncology import read_lesion_csv
from heliotrope.render.plot import plot_bytes, timeline_figure, write_plot
from heliotrope.render.timeline_html import render_timeline_html
from heliotrope.timeline import Timeline, build_timeline

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT / "examples" / "founding-case.yaml"
LESIONS = ROOT / "examples" / "founding-case-lesions.csv"
EVIL = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def founding() -> Timeline:
    return build_timeline(load_record(FOUNDING))


def _data() -> dict[str, Any]:
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _assert_non_blank_png(path: Path) -> None:
    assert path.is_file()
    assert path.stat().st_size > 30_000
    pixels = np.asarray(mpimg.imread(path))
    assert pixels.ndim == 3 and pixels.shape[0] > 400 and pixels.shape[1] > 800
    rgb = pixels[..., :3]
    assert float(rgb.var()) > 0.0
    non_white = float((rgb < 0.95).any(axis=-1).mean())
    assert 0.03 < non_white < 0.9


def test_png_is_written_and_not_blank(founding: Timeline, tmp_path: Path) -> None:
    target = write_plot(founding, tmp_path / "timeline.png")
    _assert_non_blank_png(target)
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.png"]  # no temp file left


def test_png_with_computed_recist_and_activity_measures(tmp_path: Path) -> None:
    data = _data()
    data["lesions"] = [
        r.model_dump(mode="json", exclude_none=True) for r in read_lesion_csv(LESIONS)
    ]
    data["activity"] = [
        {"date": {"anchor": "pretreatment_consultation"}, "mmt8": 78, "cdasi_activity": 6},
        {"date": {"anchor": "acute_presentation"}, "mmt8": 61, "cdasi_activity": 24},
    ]
    data["notes"] = "Dates are nominal: the report gives intervals only."
    timeline = build_timeline(parse_record(data))
    assert [p.overall for p in timeline.recist][-1] == "PD"
    assert timeline.nominal
    figure = timeline_figure(timeline)
    assert len(figure.axes) >= 5  # activity (+ twin), measures (+ twin), tumour, treatments
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "nominal" in texts
    _assert_non_blank_png(write_plot(timeline, tmp_path / "full.png"))


def test_svg_is_written(founding: Timeline, tmp_path: Path) -> None:
    target = write_plot(founding, tmp_path / "timeline.svg")
    text = target.read_text(encoding="utf-8")
    assert "<svg" in text and text.rstrip().endswith("</svg>")
    assert plot_bytes(founding, "svg") == plot_bytes(founding, "svg")  # deterministic


def test_html_is_self_contained(founding: Timeline, tmp_path: Path) -> None:
    target = write_plot(founding, tmp_path / "timeline.html")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "<?xml" not in page
    assert "DM worsening — restage the cancer" in page
    assert "Content-Security-Policy" in page
    for external in ("<script", "<link", " src=", "@import"):
        assert external not in page
    assert not re.search(r"url\((?!#)", page)  # only fragment references inside the SVG
    # Only XML namespaces may name a URL; nothing is fetched.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_html_escapes_a_malicious_note(tmp_path: Path) -> None:
    data = _data()
    data["findings"][0]["note"] = EVIL
    data["events"][3]["description"] = EVIL
    data["treatments"][3]["drug"] = f"doxorubicin {EVIL} $x^2$"
    timeline = build_timeline(parse_record(data))
    page = render_timeline_html(timeline)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    write_plot(timeline, tmp_path / "evil.html")
    assert "<script" not in (tmp_path / "evil.html").read_text(encoding="utf-8")
    _assert_non_blank_png(write_plot(timeline, tmp_path / "evil.png"))  # '$' is not mathtext


def test_unknown_format_is_refused(founding: Timeline, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.png, \.svg, \.html"):
        write_plot(founding, tmp_path / "timeline.pdf")
    assert not (tmp_path / "timeline.pdf").exists()


def test_empty_record_still_plots(tmp_path: Path) -> None:
    timeline = build_timeline(parse_record({"id": "empty"}))
    target = write_plot(timeline, tmp_path / "empty.png")
    assert target.stat().st_size > 5_000
