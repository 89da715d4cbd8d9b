"""The app in-process: security headers, uploads and their limits, downloads, storage, the REST
API against the same functions the CLI uses, the criteria pages and the CDS Hooks hook."""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from heliotrope.api import assess
from heliotrope.criteria.registry import REGISTRY, get
from heliotrope.io.casefile import load_record, parse_record
from heliotrope.oncology.recist import evaluate_recist, read_lesion_csv
from heliotrope.timeline import build_timeline
from heliotrope.web.app import create_app
from heliotrope.web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT / "examples" / "founding-case.yaml"
LESIONS = ROOT / "examples" / "founding-case-lesions.csv"
PAGES = ["/", "/calculator", "/report", "/timeline", "/patients", "/criteria"] + [
    f"/criteria/{cid}" for cid in REGISTRY
]
HOSTILE = (
    "A 50-year-old woman with heliotrope rash <script>alert('x')</script> and "
    '<img src=x onerror="alert(1)"> proximal weakness.'
)


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "history.db"


@pytest.fixture()
def client(db_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db_path=db_path, max_upload_bytes=64 * 1024))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _founding_json() -> dict[str, Any]:
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return json.loads(json.dumps(data, default=str))


# -- security ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_csp_and_no_inline_script(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None and script_src.group(1).strip() == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "asset from elsewhere"
    assert "Criteria classify; they do not diagnose." in html


@pytest.mark.parametrize(
    "asset", ["style.css", "print.css", "calculator.js", "print.js", "favicon.svg"]
)
def test_assets_are_served_by_the_app(client: TestClient, asset: str) -> None:
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200 and response.content


def test_swagger_ui_from_a_cdn_is_not_served_but_the_schema_is(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("assess", "extract", "recist", "screening", "timeline", "calculator"):
        assert f"/api/v1/{path}" in schema["paths"]


def test_pasted_hostile_text_is_escaped(client: TestClient) -> None:
    response = client.post("/report", data={"text": HOSTILE})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text


# -- uploads ----------------------------------------------------------------------------------
def _upload(client: TestClient, name: str, data: bytes) -> Any:
    return client.post("/report", files={"file": (name, data, "application/octet-stream")})


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", 415, "cannot read &#39;tool.exe&#39;"),
        ("scan.pdf", b"not a pdf at all", 415, "is not a PDF file"),
        ("note.txt", b"abc\x00\x01\x02", 415, "binary data"),
        ("note.txt", b"\xff\xfe\xfa caf\xe9 latin-1 text here", 415, "not UTF-8"),
        ("empty.yaml", b"", 400, "is empty"),
        ("big.txt", b"a" * (64 * 1024 + 1), 413, "larger than the limit"),
        ("case.yaml", b"id: [unclosed", 422, "[HT10"),
        ("bundle.json", b'{"resourceType": "Bundle", "entry": []}', 422, "[HT120]"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_4xx(
    client: TestClient, name: str, data: bytes, status: int, message: str
) -> None:
    response = _upload(client, name, data)
    assert response.status_code == status
    assert message in response.text
    assert "Traceback" not in response.text
    assert "heliotrope-upload-" not in response.text  # the private directory is never named


def test_request_bodies_over_the_limit_are_refused_early(client: TestClient) -> None:
    big = b"x" * (3 * 1024 * 1024)
    response = client.post("/api/v1/extract", content=big, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "HT413"


def test_chunked_bodies_over_the_limit_are_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"y" * (64 * 1024)

    response = client.post(
        "/calculator/result",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_uploads_are_removed_after_the_request(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    response = _upload(client, "founding.yaml", FOUNDING.read_bytes())
    assert response.status_code == 200
    assert not [p for p in spool.iterdir() if p.name.startswith("heliotrope-upload-")]


def test_nothing_is_stored_unless_asked(client: TestClient, db_path: Path) -> None:
    assert _upload(client, "founding.yaml", FOUNDING.read_bytes()).status_code == 200
    assert not db_path.exists()


# -- report, downloads and storage ----------------------------------------------------------
def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match is not None
    import html as html_module

    return html_module.unescape(match.group(1))


def test_report_shows_every_criterion_with_evidence(client: TestClient) -> None:
    html = _upload(client, "founding.yaml", FOUNDING.read_bytes()).text
    direct = assess(load_record(FOUNDING))
    for cid, result in direct.results.items():
        assert f'id="result-{cid}"' in html
        assert result.version in html
    assert "10.1" in html and "99.2 %" in html
    assert "CK 695 U/L" in html  # lab evidence with its range
    assert "founding.yaml, labs[3]" in html  # provenance without the server's path


@pytest.mark.parametrize("kind", ["json", "pdf", "ics"])
def test_downloads_carry_the_same_assessment(client: TestClient, kind: str) -> None:
    page = _upload(client, "founding.yaml", FOUNDING.read_bytes()).text
    form = {"record": _hidden(page, "record"), "name": "founding.yaml", "format": kind}
    response = client.post("/report/download", data=form)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    if kind == "json":
        data = response.json()
        direct = assess(load_record(FOUNDING)).to_json()
        for cid, result in direct["results"].items():
            assert data["results"][cid]["category"] == result["category"]
        assert data["results"]["eular_acr_2017"]["score"] == 10.1
        assert data["screening_plan"]["record_id"] == "founding-case"
    elif kind == "pdf":
        from pypdf import PdfReader

        assert response.content.startswith(b"%PDF-")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "10.1" in text and "99.2 %" in text and "do not make a diagnosis" in text
    else:
        assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_fhir_download_is_the_interop_bundle(client: TestClient) -> None:
    page = _upload(client, "founding.yaml", FOUNDING.read_bytes()).text
    form = {"record": _hidden(page, "record"), "format": "fhir"}
    response = client.post("/report/download", data=form)
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    codes = {
        c["code"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        for c in e["resource"]["code"].get("coding", [])
    }
    assert any("eular_acr_2017" in code for code in codes)


def test_a_tampered_download_record_is_a_422(client: TestClient) -> None:
    response = client.post("/report/download", data={"record": "{not json", "format": "json"})
    assert response.status_code == 422
    assert "[HT100]" in response.text


def test_timeline_document_has_its_own_script_free_csp(client: TestClient) -> None:
    page = _upload(client, "founding.yaml", FOUNDING.read_bytes()).text
    response = client.post("/timeline/document", data={"record": _hidden(page, "record")})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src" not in csp and csp.startswith("default-src 'none'")


def test_store_then_history(client: TestClient, db_path: Path) -> None:
    page = _upload(client, "founding.yaml", FOUNDING.read_bytes()).text
    record = _hidden(page, "record")
    stored = client.post(
        "/patients", data={"record": record, "name": "founding.yaml"}, follow_redirects=False
    )
    assert stored.status_code == 303 and stored.headers["location"] == "/patients/founding-case"
    assert db_path.exists()
    history = client.get("/patients/founding-case")
    assert history.status_code == 200
    assert "DM worsening" in history.text and "Stored history" in history.text
    assert "founding-case" in client.get("/patients").text
    assert client.get("/patients/nobody").status_code == 404


def test_timeline_upload(client: TestClient) -> None:
    response = client.post(
        "/timeline", files={"file": ("founding.yaml", FOUNDING.read_bytes(), "text/yaml")}
    )
    assert response.status_code == 200
    assert "data:image/svg+xml;base64," in response.text
    for alert in build_timeline(load_record(FOUNDING)).alerts:
        assert alert.title.replace("'", "&#39;") in response.text


# -- calculator pages -------------------------------------------------------------------------
def test_calculator_plain_post_and_fragment(client: TestClient) -> None:
    form = {
        "eular_acr_2017.age": "40_plus",
        "eular_acr_2017.heliotrope_rash": "present",
        "eular_acr_2017.gottron_papules": "present",
        "eular_acr_2017.weakness_proximal_upper": "present",
        "eular_acr_2017.weakness_proximal_lower": "present",
        "eular_acr_2017.elevated_muscle_enzymes": "present",
    }
    page = client.post("/calculator", data=form)
    assert page.status_code == 200 and "<form" in page.text and "99.2 %" in page.text
    fragment = client.post("/calculator/result", data=form)
    assert fragment.status_code == 200 and "<form" not in fragment.text
    assert "10.1" in fragment.text and "<html" not in fragment.text
    bad = client.post("/calculator/result", data={"eular_acr_2017.biopsy": "<b>"})
    assert bad.status_code == 422 and "&lt;b&gt;" in bad.text


# -- criteria pages ---------------------------------------------------------------------------
@pytest.mark.parametrize("criterion_id", list(REGISTRY))
def test_criterion_page_is_the_explain_output(client: TestClient, criterion_id: str) -> None:
    import html as html_module

    text = html_module.unescape(client.get(f"/criteria/{criterion_id}").text)
    variants = get(criterion_id).variants()
    first = variants[0][1]
    assert first.version in text and str(first.citation) in text
    for _, definition in variants:
        assert definition.rule in text
        for item in definition.items:
            assert item.label in text
            if item.points is not None:
                assert f"{item.points:g}" in text


def test_unknown_criterion_is_a_404_page(client: TestClient) -> None:
    response = client.get("/criteria/<script>")
    assert response.status_code == 404 and "<script>" not in response.text


# -- REST API ---------------------------------------------------------------------------------
def test_api_assess_is_heliotrope_assess(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"record": _founding_json()})
    assert response.status_code == 200
    direct = assess(load_record(FOUNDING)).to_json()
    got = response.json()
    assert got["results"].keys() == direct["results"].keys()
    for cid in direct["results"]:
        for key in ("category", "range", "pivotal_items", "caveats"):
            assert got["results"][cid][key] == json.loads(json.dumps(direct["results"][cid][key]))
        statuses = {k: v["status"] for k, v in got["results"][cid]["items"].items()}
        assert statuses == {k: v["status"] for k, v in direct["results"][cid]["items"].items()}


def test_api_errors_are_coded_json(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"record": {"id": "x", "findings": "oops"}})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"].startswith("HT1") and error["message"]
    assert client.post("/api/v1/assess", json={"nope": 1}).json()["error"]["code"] == "HT101"


def test_api_extract_recist_screening_timeline(client: TestClient) -> None:
    extract = client.post("/api/v1/extract", json={"text": HOSTILE, "name": "note.txt"}).json()
    assert extract["record"]["id"] and "facts" in extract["extraction"]
    assert "heliotrope-upload-" not in json.dumps(extract)

    recist = client.post("/api/v1/recist", json={"csv": LESIONS.read_text()}).json()
    assert recist == json.loads(json.dumps(evaluate_recist(read_lesion_csv(LESIONS)).to_json()))

    screening = client.post(
        "/api/v1/screening", json={"record": _founding_json(), "as_of": "2019-09-01"}
    ).json()
    assert screening["result"]["id"] == "imacs_2023"
    assert screening["plan"]["applicable"] is False

    timeline = client.post("/api/v1/timeline", json={"record": _founding_json()}).json()
    record = parse_record(_founding_json(), "request.record")  # the API's provenance name
    expected = json.loads(json.dumps(build_timeline(record).to_json(), default=str))
    assert timeline == expected


def test_api_calculator(client: TestClient) -> None:
    questions = client.get("/api/v1/calculator").json()
    names = {q["name"] for s in questions["sections"] for q in s["questions"]}
    assert "eular_acr_2017.heliotrope_rash" in names
    answers = {"eular_acr_2017.heliotrope_rash": "present", "eular_acr_2017.age": "40_plus"}
    result = client.post("/api/v1/calculator", json={"answers": answers}).json()
    assert result["results"]["eular_acr_2017"]["score"] == 5.2
    assert "comparison" in result


# -- CDS Hooks in the same app ------------------------------------------------------------
def test_the_app_serves_cds_hooks_discovery(client: TestClient) -> None:
    services = client.get("/cds-services").json()["services"]
    assert {s["hook"] for s in services} == {"patient-view"}
    assert any(s["id"] == "heliotrope-restaging-alert" for s in services)


# -- serve command ------------------------------------------------------------------------
def test_serve_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from heliotrope.cli.main import app as cli

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": 8000, "log_level": "warning"}]
    CliRunner().invoke(cli, ["serve", "--host", "127.0.0.1", "--port", "8123"])
    assert calls[-1]["port"] == 8123


# -- documents of every kind, as the CLI reads them ------------------------------------------
# A short clinic letter written for this test (not from any publication).
LETTER = [
    "Case presentation",
    "A 47-year-old man reported two months of difficulty rising from a chair.",
    "On examination there was a heliotrope rash and Gottron's papules over the knuckles.",
    "Power was 4/5 in the proximal upper and lower limbs bilaterally.",
    "Creatine kinase was 1800 (normal range 25-200 U/L).",
    "Anti-Jo1 antibody was negative.",
    "A muscle biopsy was not performed.",
]


def _letter_pdf(path: Path) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        figure = Figure(figsize=(8.27, 11.69))
        for row, line in enumerate(LETTER):
            figure.text(0.08, 0.95 - row * 0.03, line, fontsize=9)
        pdf.savefig(figure)
    return path.read_bytes()


def _letter_html(_path: Path) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in LETTER[1:])
    return (
        "<!doctype html><html><head><script>alert(1)</script></head><body><nav>Menu</nav>"
        f"<article><h2>{LETTER[0]}</h2>{body}</article></body></html>"
    ).encode()


def _letter_text(_path: Path) -> bytes:
    return ("\n".join(LETTER) + "\n").encode()


@pytest.mark.parametrize(
    ("suffix", "make"),
    [(".pdf", _letter_pdf), (".html", _letter_html), (".txt", _letter_text)],
    ids=["pdf", "html", "txt"],
)
def test_documents_of_every_kind_give_the_cli_result(
    client: TestClient, tmp_path: Path, suffix: str, make: Any
) -> None:
    """The page and ``heliotrope assess`` read the same document the same way."""
    from heliotrope.io.inputs import load_input

    path = tmp_path / f"letter{suffix}"
    data = make(path)
    path.write_bytes(data)
    direct = assess(load_input(path).record).results
    response = _upload(client, f"letter{suffix}", data)
    assert response.status_code == 200
    html = response.text
    eular = direct["eular_acr_2017"]
    assert eular.values["score"] == pytest.approx(2.1 + 0.7 + 0.8 + 3.1 + 2.1 + 1.3)
    assert f"score <strong>{eular.values['score']:.1f}</strong>" in html
    assert direct["bohan_peter_1975"].outcome == "probable DM"  # rash + C1 + C2 (no EMG)
    assert '<div class="document">' in html and '<mark class="fact' in html
    assert re.search(r'<a class="to-text" href="#span-\d+-\d+">', html)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": "http://evil.example", "sec-fetch-site": "cross-site"}, 403),
        ({"origin": "null"}, 403),
        ({"origin": "http://testserver.evil.example"}, 403),
        ({"sec-fetch-site": "same-site"}, 403),  # another port or subdomain
        ({"origin": "http://testserver", "sec-fetch-site": "same-origin"}, 303),
        ({}, 303),  # a client that says nothing (curl, a script)
    ],
)
def test_cross_site_writes_are_refused(
    client: TestClient, db_path: Path, headers: dict[str, str], status: int
) -> None:
    """A page elsewhere cannot store a record here (CSRF)."""
    record = json.dumps({"id": "csrf-probe"})
    response = client.post(
        "/patients", data={"record": record}, headers=headers, follow_redirects=False
    )
    assert response.status_code == status
    assert db_path.exists() is (status == 303)
