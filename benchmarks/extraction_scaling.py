"""Extraction time against document size, for prose and each adversarial shape (issue 12).

For each shape and size a document is generated, then read (after a warm-up read that
fills the per-process caches, e.g. compiled patterns) (ingest → sections → sentences →
extractors → record) in a fresh process, which reports the reading time and its peak
memory. Printed per size: seconds per shape, µs per KB, and the ratio of the slowest shape
to prose. A cost linear in the text keeps µs/KB flat along a row of sizes.

    python benchmarks/extraction_scaling.py                 # 10 KB, 100 KB, 1 MB
    python benchmarks/extraction_scaling.py --max-mb 20     # ... 2, 5, 10, 20 MB too
    python benchmarks/extraction_scaling.py --shapes prose,dates --sizes 10000,1000000

A document refused by a documented limit (a coded HT108, e.g. too many mentions) is shown
as ``refused`` with the time it took to refuse it.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "case-report.pdf.txt"
_FALLBACK = (
    "A 52-year-old woman presented with proximal weakness and a heliotrope rash. Creatine "
    "kinase was 3,400 U/L (normal range 26-192 U/L). Anti-TIF1 gamma antibodies were "
    "positive. CT of the chest showed a lung mass; biopsy found adenocarcinoma. She had no "
    "dysphagia. Two months later the rash worsened.\n\n"
)
_KEYWORDS = [
    "dermatomyositis",
    "heliotrope",
    "rash",
    "Gottron",
    "papules",
    "proximal",
    "weakness",
    "CK",
    "anti-TIF1γ",
    "positive",
    "dysphagia",
    "ovarian",
    "cancer",
    "biopsy",
    "MRI",
    "no",
    "denies",
    "and",
    "with",
]


def _prose_source() -> str:
    text = SEED.read_text("utf-8") if SEED.is_file() else _FALLBACK * 20
    return text


def prose(n: int, rng: random.Random) -> str:
    source = _prose_source()
    return (source * (n // len(source) + 1))[:n]


def no_newline(n: int, rng: random.Random) -> str:
    return prose(n, rng).replace("\n", " ")


def one_sentence(n: int, rng: random.Random) -> str:
    words = []
    size = 0
    while size < n:
        word = rng.choice(_KEYWORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:n]


def numbers(n: int, rng: random.Random) -> str:
    parts = []
    size = 0
    while size < n:
        part = f"CK {rng.randint(1, 9999)} U/L, ALT {rng.randint(1, 99)}.{rng.randint(0, 9)} IU/L,"
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)[:n]


def dates(n: int, rng: random.Random) -> str:
    parts = []
    size = 0
    while size < n:
        part = (
            f"on {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(1990, 2020)} and "
            f"2019-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},"
        )
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)[:n]


def html_tags(n: int, rng: random.Random) -> str:
    """Tag soup: nested inline and block tags (depth ≤ 150) around short clinical words."""
    out = ["<html><body>"]
    size = 12
    while size < n - 30:
        depth = rng.randint(1, 150)
        chunk = (
            "<div><span>" * (depth // 2) + rng.choice(_KEYWORDS) + "</span></div>" * (depth // 2)
        )
        out.append(chunk)
        size += len(chunk)
    out.append("</body></html>")
    return "".join(out)


SHAPES: dict[str, tuple[Callable[[int, random.Random], str], str]] = {
    "prose": (prose, ".txt"),
    "no_newline": (no_newline, ".txt"),
    "one_sentence": (one_sentence, ".txt"),
    "numbers": (numbers, ".txt"),
    "dates": (dates, ".txt"),
    "html_tags": (html_tags, ".html"),
}

_MEASURE = """
import json, resource, sys, time
from heliotrope.errors import HeliotropeError
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record
read_record(ingest_text("Warm-up: CK 300 U/L on 2019-01-02, heliotrope rash."))  # caches
start = time.perf_counter()
try:
    result = read_record(sys.argv[1])
    status = f"{len(result.facts)} facts"
except HeliotropeError as exc:
    status = "refused " + exc.code
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "status": status}))
"""


def measure(path: Path, timeout: float) -> dict[str, object]:
    """Read ``path`` in a fresh process: seconds, peak MB and what came of it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "peak_mb": float("nan"), "status": "TIMEOUT"}
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "status": "CRASH"}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=1.0, help="largest size (MB)")
    parser.add_argument("--sizes", help="comma-separated sizes in bytes (overrides --max-mb)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per document")
    args = parser.parse_args(argv)
    ladder = [10_000, 100_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000]
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [s for s in ladder if s <= args.max_mb * 1_000_000]
    )
    shapes = [s for s in args.shapes.split(",") if s in SHAPES]
    rng = random.Random(12)
    print("extraction time by document size (fresh process per document; seed 12)")
    header = f"{'size':>9} " + " ".join(f"{s:>14}" for s in shapes) + "   slowest/prose"
    print(header)
    rows: list[tuple[int, dict[str, dict[str, object]]]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            found: dict[str, dict[str, object]] = {}
            for shape in shapes:
                make, suffix = SHAPES[shape]
                path = Path(folder) / f"{shape}{suffix}"
                path.write_text(make(size, rng), encoding="utf-8")
                found[shape] = measure(path, args.timeout)
                path.unlink()
            rows.append((size, found))
            cells = []
            for shape in shapes:
                r = found[shape]
                mark = "*" if str(r["status"]).startswith(("refused", "TIMEOUT", "CRASH")) else ""
                cells.append(f"{float(r['seconds']):>11.2f} s{mark:1}")  # type: ignore[arg-type]
            times = {s: float(found[s]["seconds"]) for s in shapes}  # type: ignore[arg-type]
            ratio = ""
            if "prose" in times and times["prose"] > 0:
                slowest = max(times, key=lambda s: times[s])
                ratio = f"{times[slowest] / times['prose']:6.2f} ({slowest})"
            print(f"{size / 1e6:>7.2f}MB " + " ".join(f"{c:>14}" for c in cells) + "   " + ratio)
            sys.stdout.flush()
    print("\nµs per KB (flat along a column = linear):")
    print(f"{'size':>9} " + " ".join(f"{s:>14}" for s in shapes))
    for size, found in rows:
        per_kb = [float(found[s]["seconds"]) * 1e6 / (size / 1000) for s in shapes]  # type: ignore[arg-type]
        print(f"{size / 1e6:>7.2f}MB " + " ".join(f"{v:>14.0f}" for v in per_kb))
    print("\npeak memory (MB) and outcome:")
    for size, found in rows:
        line = ", ".join(
            f"{s} {float(found[s]['peak_mb']):.0f} MB {found[s]['status']}"  # type: ignore[arg-type]
            for s in shapes
        )
        print(f"{size / 1e6:>7.2f}MB {line}")
    print("* refused by a documented limit (HT108), timed out or crashed: see the outcomes")
    return 0


if __name__ == "__main__":
    main()
