"""Ingestion: text, HTML and PDF files → normalised Document; robustness and clear errors."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from heliotrope.errors import DocumentError
from heliotrope.nlp.ingest import MAX_DOCUMENT_BYTES, Document, ingest, ingest_text
from heliotrope.nlp.ingest.normalise import rejoin_hyphenation

FIXTURES = Path(__file__).parent / "fixtures"


# ----------------------------------------------------------------------------- a tiny PDF writer


def make_pdf(pages: list[list[tuple[float, float, str]]], size: float = 10.0) -> bytes:
    """A minimal PDF (Helvetica, WinAnsi) with each ``(x, y, text)`` drawn on its page."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, items in enumerate(pages):
        content = "".join(
            f"BT /F1 {size} Tf {x:.1f} {y:.1f} Td ({esc(t)}) Tj ET\n" for x, y, t in items
        ).encode("cp1252")
        if not items:
            content = b"0 0 m 200 200 l S\n"  # a line, no text
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


LEFT = [
    "Case report",
    "A 61-year-old man presented with proximal",
    "weakness of both thighs and a violaceous",
    "rash over the eyelids. Creatine kinase was",
    "raised. The biopsy showed features of myo-",
    "sitis with perifascicular atrophy. Anti-",
    "NXP2 antibodies were detected in serum.",
    "He had no dysphagia.",
]
RIGHT = [
    "Electromyography showed a myopathic",
    "pattern in the deltoids. A CT scan of the",
    "chest, abdomen and pelvis found no tumour.",
    "Treatment with prednisolone was started",
    "and strength improved over three months.",
    "Discussion",
    "This invented case shows the usual pattern",
    "of a classic adult dermatomyositis.",
]
PAGE2_LEFT = ["Conclusion", "Screen adults with this antibody for", "cancer at diagnosis."]
PAGE2_RIGHT = ["References", "1. Invented A. A reference. 2020;1:1.", "2. Invented B. 2021;2:2."]
HEADER = "Invented Case Reports (2024) 3:17"


def _two_column_page(
    number: int, left: list[str], right: list[str]
) -> list[tuple[float, float, str]]:
    items = [(56.0, 760.0, HEADER), (300.0, 30.0, str(number))]
    items += [(56.0, 700.0 - 14 * i, t) for i, t in enumerate(left)]
    items += [(320.0, 700.0 - 14 * i, t) for i, t in enumerate(right)]
    return items


@pytest.fixture(scope="module")
def two_column_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "two-column.pdf"
    path.write_bytes(
        make_pdf(
            [
                _two_column_page(1, LEFT, RIGHT),
                _two_column_page(2, PAGE2_LEFT, PAGE2_RIGHT),
            ]
        )
    )
    return path


# ----------------------------------------------------------------------------- plain text


def test_ingest_text_file(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("HPI: 54F with 3 months of thigh weakness.\r\nExam: MRC 4/5 hips.\r\n")
    doc = ingest(path)
    assert doc == Document(
        str(path), "text", "HPI: 54F with 3 months of thigh weakness.\nExam: MRC 4/5 hips."
    )


def test_kind_follows_the_extension_and_sniffs_the_rest(
    tmp_path: Path, two_column_pdf: Path
) -> None:
    (tmp_path / "a.md").write_text("# Case\nRash.")
    assert ingest(tmp_path / "a.md").kind == "text"
    (tmp_path / "page.data").write_text(
        "<!doctype html><html><body><p>Rash on the eyelids.</p></body></html>"
    )
    assert ingest(tmp_path / "page.data").kind == "html"
    (tmp_path / "paper.bin").write_bytes(two_column_pdf.read_bytes())
    assert ingest(tmp_path / "paper.bin").kind == "pdf"
    (tmp_path / "plain").write_text("Weakness of the hips.")
    assert ingest(tmp_path / "plain").kind == "text"


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Gottron’s papules.".encode())
    assert ingest(path).text == "Gottron’s papules."


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Anti-TIF1γ positive.".encode("utf-16"))  # writes a BOM
    assert ingest(path).text == "Anti-TIF1γ positive."


def test_utf16_without_bom_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "utf16le.txt"
    path.write_bytes("Weakness of the hips.".encode("utf-16-le"))
    with pytest.raises(DocumentError, match="binary") as info:
        ingest(path)
    assert "byte-order mark" in str(info.value)


def test_bad_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Line one.\nCaf\xe9 au lait spots.".encode("latin-1"))
    with pytest.raises(DocumentError) as info:
        ingest(path)
    message = str(info.value)
    assert info.value.code == "HT105"
    assert "not valid UTF-8" in message
    assert "byte 13" in message and "0xe9" in message and "line 2" in message


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(1975).randbytes(4096))
    with pytest.raises(DocumentError, match="binary"):
        ingest(path)


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Rash\x00\x00\x00 on the face")
    with pytest.raises(DocumentError, match="binary"):
        ingest(path)
    with pytest.raises(DocumentError, match="binary"):
        ingest_text("Rash\x00 on the face")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  \n"])
def test_empty_and_blank_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match="empty"):
        ingest(path)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\u00a0\u200b\ufeff\n"])
def test_blank_strings_are_refused(text: str) -> None:
    with pytest.raises(DocumentError, match="empty or contains only whitespace"):
        ingest_text(text)


def test_a_50_megabyte_file_fails_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # a sparse file: nothing is written but the last byte
        f.seek(50 * 1024 * 1024)
        f.write(b"x")
    with pytest.raises(DocumentError, match="limit is 20 MB") as info:
        ingest(path)
    assert "50.0 MB" in str(info.value)


def test_a_huge_string_is_refused() -> None:
    with pytest.raises(DocumentError, match="limit"):
        ingest_text("a" * (MAX_DOCUMENT_BYTES + 1))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="does not exist"):
        ingest(tmp_path / "nowhere.txt")
    with pytest.raises(DocumentError, match="not a regular file"):
        ingest(tmp_path)


# ----------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﬁndings of ﬂagellate erythema", "findings of flagellate erythema"),
        ("CK\u00a0695\u202fU/L", "CK 695 U/L"),
        ("myo\u00adsitis", "myositis"),
        ("myo\u00ad\nsitis was seen", "myositis was seen"),
        ("Gott\u200bron\u2060’s papules", "Gottron’s papules"),
        ("anti\u2010Jo1 and anti\u2011Mi2", "anti-Jo1 and anti-Mi2"),
        ("e\u0301rythe\u0300me", "érythème"),  # NFC composes the accents
        ("10⁹/L and 5 µmol/L", "10⁹/L and 5 µmol/L"),  # not NFKC: superscripts kept
        ("line one\r\nline two\rline three\u2028four", "line one\nline two\nline three\nfour"),
        ("trailing spaces   \nnext", "trailing spaces\nnext"),
        ("bell\x07 and escape\x1b removed", "bell and escape removed"),
    ],
)
def test_unicode_oddities(raw: str, expected: str) -> None:
    assert ingest_text(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("myo-\nsitis", "myositis"),
        ("pre-\n  sented", "presented"),  # indentation of the next line goes too
        ("anti-\nTIF1γ", "anti-TIF1γ"),  # uppercase second part: a real hyphen
        ("factor-\n1 gamma", "factor-1 gamma"),  # digit second part
        ("COVID-19-\nrelated", "COVID-19-related"),  # digit first part
        ("non-\nsmall cell", "non-small cell"),  # a free-standing compound former
        ("antibody-\npositive", "antibody-positive"),  # a compound head
        ("un-\nrelated", "unrelated"),  # a bound prefix does not make a compound
        ("the word -\nalone", "the word -\nalone"),  # a dash, not a hyphenated word
        ("end of line.\nNext line", "end of line.\nNext line"),
    ],
)
def test_hyphenation_rule(raw: str, expected: str) -> None:
    assert rejoin_hyphenation(raw) == expected


def test_the_document_itself_decides_ambiguous_hyphens() -> None:
    text = (
        "A tumour-directed response.\nSome tumour-\ndirected cells and derma-\n"
        "tomyositis; dermatomyositis."
    )
    out = rejoin_hyphenation(text)
    assert "Some tumour-directed cells" in out
    assert "and dermatomyositis;" in out


# ----------------------------------------------------------------------------- HTML


def test_html_main_content_only() -> None:
    doc = ingest(FIXTURES / "case_page.html")
    text = doc.text
    assert doc.kind == "html"
    for gone in [
        "never-show-this-script",
        "font-family",
        "Browse issues",
        "Sign in",
        "Search the journal",
        "Hidden promotional",
        "Related articles",
        "Cookie settings",
        "Invented Journal –",  # the <title>
    ]:
        assert gone not in text
    lines = text.splitlines()
    assert lines[0] == "Eyelid rash and thigh weakness in a retired baker"
    assert "Case presentation" in lines
    assert "Discussion" in lines
    assert "- Creatine kinase 4,310 U/L" in lines
    assert "- Anti-NXP2 antibody positive" in lines
    assert "Figure 1 Violaceous eyelid rash with mild swelling" in lines
    assert "Creatine kinase\t4310\t40–200 U/L" in lines
    assert "Aldolase\t21\t<7.6 U/L" in lines
    paragraph = next(line for line in lines if line.startswith("A 58-year-old"))
    assert paragraph.endswith("over six weeks.")  # inline whitespace collapsed, one line


def test_html_without_main_uses_the_body(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text(
        "<html><body><nav>Menu</nav><h2>HPI</h2><p>Weak&nbsp;hips.<br>No rash.</p></body></html>"
    )
    assert ingest(path).text.splitlines() == ["HPI", "", "Weak hips.", "No rash."]


def test_html_with_no_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>t</title></head><body><nav>Only a menu</nav></body></html>")
    with pytest.raises(DocumentError, match="no readable text"):
        ingest(path)


# ----------------------------------------------------------------------------- PDF


def test_pdf_two_columns_are_read_in_order(two_column_pdf: Path) -> None:
    doc = ingest(two_column_pdf)
    text = doc.text
    assert doc.kind == "pdf"
    # left column, then right column, then page 2's left and right columns
    order = [
        "Case report",
        "A 61-year-old man presented",
        "He had no dysphagia.",
        "Electromyography showed a myopathic",
        "Discussion",
        "of a classic adult dermatomyositis.",
        "Conclusion",
        "cancer at diagnosis.",
        "References",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)


def test_pdf_hyphenation_headers_and_page_numbers(two_column_pdf: Path) -> None:
    text = ingest(two_column_pdf).text
    assert "features of myositis with perifascicular atrophy" in text
    assert "Anti-NXP2 antibodies" in text  # uppercase second part keeps the hyphen
    assert HEADER not in text and "Invented Case Reports" not in text
    assert not any(line.strip() in {"1", "2"} for line in text.splitlines())


def test_single_column_pdf(tmp_path: Path) -> None:
    lines = [
        "A 47-year-old woman had a heliotrope rash and proximal weakness of the arms and legs",
        "for two months. Creatine kinase was 2,400 U/L and electromyography was myopathic.",
        "A muscle biopsy showed perifascicular atrophy and the anti-Mi2 antibody was positive.",
    ] * 3
    path = tmp_path / "one.pdf"
    path.write_bytes(make_pdf([[(56.0, 700.0 - 14 * i, t) for i, t in enumerate(lines)]]))
    text = ingest(path).text
    assert text.splitlines() == lines


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[]]))
    with pytest.raises(DocumentError, match="no extractable text"):
        ingest(path)


def test_broken_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a PDF")
    with pytest.raises(DocumentError, match="PDF"):
        ingest(path)


# ----------------------------------------------------------------------------- the seeds


@pytest.mark.shared
def test_pdf_text_seed_rejoins_its_hyphenation(shared_dir: Path) -> None:
    doc = ingest(shared_dir / "seeds" / "case-report.pdf.txt")
    text = doc.text
    assert doc.kind == "text"
    assert "-\n" not in text  # every line-break hyphen was resolved
    assert "presented to her general practitioner" in text
    assert "Muscle biopsy \n" not in text
    assert "Gottron’s papules" in text
    for compound in ("tumour-directed", "low-grade", "Second-line", "myositis-specific"):
        assert compound in text
    assert "paraneoplastic dermatomyositis" in text.lower()
    assert "dermato-" not in text and "der-\n" not in text


@pytest.mark.shared
def test_web_seed_is_unchanged_text(shared_dir: Path) -> None:
    path = shared_dir / "seeds" / "case-report.web.txt"
    doc = ingest(path)
    raw = path.read_text(encoding="utf-8")
    assert doc.text == raw.strip()
