"""The web app in a real browser (Chromium via Playwright) against a live uvicorn.

Founding case: Merry E, et al. Clin Sarcoma Res 2020;10:15. EULAR/ACR 2017 without biopsy
(spec §2): age ≥ 40 (2.1) + proximal upper (0.7) + proximal lower (0.8) weakness + heliotrope
rash (3.1) + Gottron's papules (2.1) + raised enzymes (1.3) = 10.1, P = 1/(1+e^(5.33−10.1))
= 99.2 %, definite, subgroup DM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOUNDING_ITEMS = {
    "eular_acr_2017.weakness_proximal_upper": "present",
    "eular_acr_2017.weakness_proximal_lower": "present",
    "eular_acr_2017.neck_flexors_weaker_than_extensors": "absent",
    "eular_acr_2017.heliotrope_rash": "present",
    "eular_acr_2017.gottron_papules": "present",
    "eular_acr_2017.dysphagia_or_oesophageal_dysmotility": "absent",
    "eular_acr_2017.anti_jo1": "absent",
    "eular_acr_2017.elevated_muscle_enzymes": "present",
    "eular_acr_2017.better_explanation": "absent",
}
HOSTILE = (
    "Case: a 52-year-old woman with heliotrope rash.\n"
    "<script>window.__pwned = 'script'; alert('script')</script>\n"
    '<img src="x" onerror="window.__pwned = \'onerror\'; alert(1)">\n'
    "<a href=\"javascript:alert('link')\">click</a> <svg onload=\"window.__pwned='svg'\"></svg>\n"
    "She had proximal weakness and CK 900 U/L (range 25-200).\n"
)


def _eular(page: Any) -> Any:
    return page.locator('#result .outcome[data-criterion="eular_acr_2017"]')


def _answer(page: Any, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def _wait_update(page: Any, before: str | None) -> None:
    page.wait_for_function(
        "b => document.getElementById('result').getAttribute('data-updated') !== b",
        arg=before,
    )


def _fill_founding(page: Any) -> None:
    page.select_option('select[name="eular_acr_2017.age"]', "40_plus")
    for name, value in FOUNDING_ITEMS.items():
        _answer(page, name, value)


def test_calculator_founding_case_item_by_item(web: Any, shot: Any, axe: Any) -> None:
    page = web.page
    page.goto("/calculator")
    assert "not iim" in _eular(page).inner_text()
    assert axe(page) == []
    _fill_founding(page)
    page.wait_for_function(
        "() => (document.querySelector('#result .outcome[data-criterion=\"eular_acr_2017\"]')"
        " || {}).innerText?.includes('99.2')"
    )
    text = _eular(page).inner_text()
    assert "definite DM" in text
    assert "10.1" in text
    assert "99.2 %" in text
    shot(page, "calculator-founding-case")
    # the shared finding was copied to ENMC 2018, which was still not assessed
    assert page.locator('input[name="enmc_2018_dm.heliotrope_rash"][value="present"]').is_checked()

    # Heliotrope rash not assessed: headline 7.0 probable, range up to definite, and the rash
    # is the single item that would change the category.
    before = page.locator("#result").get_attribute("data-updated")
    _answer(page, "eular_acr_2017.heliotrope_rash", "unknown")
    _wait_update(page, before)
    text = _eular(page).inner_text()
    assert "probable DM" in text and "7.0" in text
    card = page.locator("#result section.result-card:has(#result-eular_acr_2017)")
    range_text = card.locator(".range").inner_text()
    assert "probable to definite" in range_text
    assert "7.0 – 14.3" in range_text  # rash 3.1, legs 0.9, Gottron sign 3.3 unknown
    assert "Heliotrope rash" in card.locator(".pivots").inner_text()
    assert "definite DM" in card.locator(".pivots").inner_text()
    assert web.console_errors == []
    assert axe(page) == []
    shot(page, "calculator-heliotrope-not-assessed")


def test_calculator_works_without_javascript(web_no_js: Any, shot: Any) -> None:
    page = web_no_js.page
    page.goto("/calculator")
    _fill_founding(page)
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_load_state()
    text = _eular(page).inner_text()
    assert "definite DM" in text and "10.1" in text and "99.2 %" in text
    # the answers survive the round trip
    checked = page.locator('input[name="eular_acr_2017.heliotrope_rash"][value="present"]')
    assert checked.is_checked()
    shot(page, "calculator-no-javascript")


def test_calculator_keyboard_operable(web: Any) -> None:
    page = web.page
    page.goto("/calculator")
    first = page.locator('input[name="bohan_peter_1975.proximal_weakness"][value="present"]')
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("ArrowRight")
    assert page.locator(
        'input[name="bohan_peter_1975.proximal_weakness"][value="absent"]'
    ).is_checked()


def _upload(page: Any, path: Path | None = None, text: str | None = None) -> None:
    page.goto("/report")
    if path is not None:
        page.set_input_files("#file", str(path))
    if text is not None:
        page.fill("#text", text)
    page.get_by_role("button", name="Assess").click()
    page.wait_for_load_state()


def _item_row(page: Any, criterion: str, key: str) -> Any:
    card = page.locator(f"section.result-card:has(#result-{criterion})")
    return card.locator(f'tr[data-item="{key}"]')


def _target_follows(page: Any, anchor: str) -> str:
    """The highlighted text right after the anchor the URL now points at."""
    assert page.evaluate("() => location.hash") == f"#{anchor}"
    assert page.locator(f"#{anchor}:target").count() == 1
    text: str = page.evaluate(
        "id => { let n = document.getElementById(id).nextElementSibling;"
        " while (n && n.tagName !== 'MARK') n = n.nextElementSibling;"
        " return n ? n.innerText : ''; }",
        anchor,
    )
    return text


def _in_view(page: Any, anchor: str) -> bool:
    """Is the sentence the anchor starts scrolled into the window?"""
    inside: bool = page.evaluate(
        "id => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= -5 && r.top < window.innerHeight; }",
        anchor,
    )
    return inside


@pytest.mark.shared
def test_report_web_rendition_links_items_to_sentences(
    web: Any, shot: Any, axe: Any, shared_dir: Path
) -> None:
    """The web rendition has no figure captions: the heliotrope rash is never named, so the
    item is unknown and shown as the one that would make EULAR/ACR definite (README); the
    Gottron's papules item links to its sentence."""
    page = web.page
    _upload(page, shared_dir / "seeds" / "case-report.web.txt")
    heliotrope = _item_row(page, "eular_acr_2017", "heliotrope_rash")
    assert "not assessed / unknown" in heliotrope.inner_text()
    eular = page.locator('.outcome[data-criterion="eular_acr_2017"]').inner_text()
    assert "probable DM" in eular and "7.0" in eular
    pivots = page.locator("section.result-card:has(#result-eular_acr_2017) .pivots").inner_text()
    assert "Heliotrope rash" in pivots and "definite DM" in pivots
    link = _item_row(page, "eular_acr_2017", "gottron_papules").locator("a.to-text").first
    anchor = link.get_attribute("href").lstrip("#")
    link.click()
    assert "Gottron" in _target_follows(page, anchor)
    assert _in_view(page, anchor)
    assert web.console_errors == []
    assert axe(page) == []
    shot(page, "report-web-rendition")


@pytest.mark.shared
def test_report_pdf_rendition_heliotrope_item_to_its_sentence(
    web: Any, shot: Any, shared_dir: Path
) -> None:
    """The PDF rendition's Fig. 2 caption names the heliotrope rash: click from the item to it."""
    page = web.page
    _upload(page, shared_dir / "seeds" / "case-report.pdf.txt")
    eular = page.locator('.outcome[data-criterion="eular_acr_2017"]').inner_text()
    assert "definite DM" in eular and "10.1" in eular and "99.2 %" in eular
    link = _item_row(page, "eular_acr_2017", "heliotrope_rash").locator("a.to-text").first
    anchor = link.get_attribute("href").lstrip("#")
    link.click()
    assert "heliotrope" in _target_follows(page, anchor).lower()
    assert _in_view(page, anchor)
    shot(page, "report-pdf-rendition-heliotrope")


@pytest.mark.parametrize("how", ["file", "paste", "html-file"])
def test_hostile_text_runs_no_script(web: Any, shot: Any, tmp_path: Path, how: str) -> None:
    page = web.page
    if how == "paste":
        _upload(page, text=HOSTILE)
    else:
        suffix = ".html" if how == "html-file" else ".txt"
        path = tmp_path / f"hostile<script>{suffix}"
        path.write_text(HOSTILE, encoding="utf-8")
        _upload(page, path)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert web.dialogs == []
    assert page.locator("main script, main img[src='x'], main svg[onload]").count() == 0
    if how != "html-file":  # HTML input is read for its text; its tags are not content
        assert "<script>window.__pwned" in page.locator(".document").inner_text()
    shot(page, f"report-hostile-{how}")


def test_bad_upload_gets_a_clear_message_and_4xx(
    web: Any, tmp_path: Path, shot: Any, axe: Any
) -> None:
    page = web.page
    path = tmp_path / "tool.exe"
    path.write_bytes(b"MZ\x90\x00binary")
    page.goto("/report")
    page.set_input_files("#file", str(path))
    with page.expect_response(lambda r: r.url.endswith("/report")) as info:
        page.get_by_role("button", name="Assess").click()
    assert info.value.status == 415
    assert "cannot read 'tool.exe'" in page.locator("[role=alert]").inner_text()
    assert axe(page) == []
    shot(page, "error-upload-refused")


def test_fhir_upload_shows_its_coded_error(web: Any, tmp_path: Path) -> None:
    """Until the FHIR reader is merged, a Bundle gets load_input's coded error, cleanly."""
    page = web.page
    path = tmp_path / "bundle.json"
    path.write_text('{"resourceType": "Bundle", "type": "collection", "entry": []}')
    page.goto("/report")
    page.set_input_files("#file", str(path))
    with page.expect_response(lambda r: r.url.endswith("/report")) as info:
        page.get_by_role("button", name="Assess").click()
    status = info.value.status
    if status == 200:  # the FHIR reader is merged: the report is shown
        assert page.locator("h1").inner_text().startswith("Report for")
    else:
        assert status == 422
        assert "[HT" in page.locator("[role=alert]").inner_text()
        assert "/tmp/" not in page.content()


def test_timeline_store_and_history(web: Any, shot: Any, axe: Any) -> None:
    page = web.page
    _upload(page, ROOT / "examples" / "founding-case.yaml")
    assert "definite" in page.locator('.outcome[data-criterion="bohan_peter_1975"]').inner_text()
    assert axe(page) == []
    shot(page, "report-founding-case")
    what_if = page.get_by_role("link", name="Open these answers in the calculator")
    calculator = page.context.new_page()
    calculator.goto(what_if.get_attribute("href"))
    assert "10.1" in _eular(calculator).inner_text()
    assert "99.2 %" in _eular(calculator).inner_text()
    calculator.close()
    page.get_by_role("button", name="Store this record in the history").click()
    page.wait_for_url("**/patients/founding-case")
    assert "restage" in page.locator(".alert").first.inner_text().lower()
    assert page.locator("table.history").count() == 2
    assert page.locator("figure.plot img").evaluate("img => img.naturalWidth") > 0
    assert axe(page) == []
    shot(page, "timeline-founding-case")
    page.goto("/patients")
    assert page.get_by_role("link", name="founding-case").count() == 1
    shot(page, "page-patients")


@pytest.mark.parametrize("path", ["/", "/criteria", "/criteria/eular_acr_2017", "/timeline"])
def test_other_pages_are_accessible(web: Any, shot: Any, axe: Any, path: str) -> None:
    page = web.page
    page.goto(path)
    assert axe(page) == []
    assert "Criteria classify; they do not diagnose." in page.locator("footer").inner_text()
    name = path.strip("/").replace("/", "-") or "home"
    shot(page, f"page-{name}")


def test_print_stylesheet_shows_every_item_and_hides_the_controls(web: Any) -> None:
    page = web.page
    _upload(page, ROOT / "examples" / "founding-case.yaml")
    closed = page.locator("section.result-card:has(#result-lab_flags) table.items")
    assert not closed.is_visible()  # collapsed on screen
    page.emulate_media(media="print")
    assert closed.is_visible()
    assert not page.locator("header.site nav").is_visible()
    assert not page.locator("form.downloads").first.is_visible()
    assert page.locator(".classify").first.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF-")
