"""Untrusted input never becomes markup or a server error: property tests over the pages that
render what users send (pasted clinical text, calculator forms)."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heliotrope.web.app import create_app
from heliotrope.web.settings import Settings

PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg/onload=alert(1)>",
        '"><iframe src="javascript:alert(1)">',
        "&lt;b&gt;",
        "heliotrope rash",
        "proximal weakness",
        "CK 900 U/L (range 25-200)",
        "anti-TIF1γ positive",
        "\u202e",
        "'",
        '"',
        "\n\n",
        " ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=20)), min_size=1, max_size=12).map("".join)


class _Elements(HTMLParser):
    """Every element and attribute as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def _no_markup_from_input(html: str) -> None:
    """No element or attribute came from the input: scripts only from /static, no images,
    SVG or frames, no event-handler attributes, no javascript: URLs."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        values = dict(attrs)
        if tag == "script":
            assert (values.get("src") or "").startswith("/static/"), attrs
        assert tag not in ("svg", "iframe", "object", "embed"), tag
        if tag == "img":  # the timeline plot only
            assert (values.get("src") or "").startswith("data:image/svg+xml;base64,"), attrs
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_pasted_text_is_always_escaped(client: TestClient, text: str) -> None:
    response = client.post("/report", data={"text": text})
    assert response.status_code in (200, 400, 422), response.text[:500]
    assert "Traceback" not in response.text
    _no_markup_from_input(response.text)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=st.dictionaries(st.one_of(TEXTS, st.just("eular_acr_2017.anti_jo1")), TEXTS, max_size=4)
)
def test_any_calculator_form_is_a_result_or_a_4xx(client: TestClient, form: dict[str, str]) -> None:
    response = client.post("/calculator/result", data=form)
    assert response.status_code in (200, 422)
    _no_markup_from_input(response.text)
