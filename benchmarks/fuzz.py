"""Fuzz heliotrope's commands with hostile inputs and print crashes, hangs, peak memory and
the slowest inputs (issue 12).

Inputs are mutations of the project's examples (case files in YAML and JSON, the lesion
table) and generated clinical text, HTML and PDFs: hostile values (huge integers, impossible
dates, NaN, control characters, deep nesting, aliases), corrupted bytes, adversarial shapes.
Each runs in-process through the CLI (``assess``, ``timeline``, ``screening``, ``recist``,
``extract``) with a time limit. A *crash* is anything but exit 0 or a coded error with exit 2:
a traceback, the guard (HT900, exit 3), an uncoded failure, or a raw control character on the
terminal. Every crashing or hanging input is saved (``--save``) to be kept as a regression
file under ``tests/fuzz/regressions/``.

    python benchmarks/fuzz.py                   # 300 inputs (make bench)
    python benchmarks/fuzz.py --count 100000    # the full run (hours on two cores)
    python benchmarks/fuzz.py --kinds text,html --count 2000 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

from pdfs import pdf_bytes, two_column_pages  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from heliotrope.cli.main import app  # noqa: E402

EXAMPLES = ROOT / "examples"
BASE_CASE: dict[str, Any] = yaml.safe_load((EXAMPLES / "founding-case.yaml").read_text("utf-8"))
BASE_CSV = (EXAMPLES / "founding-case-lesions.csv").read_text("utf-8")
CONTROL = "\x1b[2J\x1b]0;x\x07\x9b31m\r\x08\u202e"
_WORD_TEXT = (
    "dermatomyositis heliotrope rash Gottron papules proximal weakness CK creatine kinase "
    "anti-TIF1γ positive negative dysphagia ovarian cancer biopsy MRI EMG U/L mg/dL ×10^3 "
    "ULN normal range 26-192 no denies onset months later 2019 Feb 30 2019-02-30 31/02/2019"
)
WORDS = tuple(_WORD_TEXT.split())
ATOMS: list[Any] = [
    int("9" * 4000),
    10**40,
    -1,
    0,
    1e400,
    -1e308,
    float("nan"),
    "2019-02-30",
    "2019-13-01",
    "0000-01-01",
    "1e400 days",
    "1000000000 days",
    "",
    CONTROL,
    "x" * 100_000,
    None,
    True,
    [],
    {},
    {"after": "nowhere", "by": "2 months"},
]
_CODE = re.compile(r"\[(HT\d{3})\]")
_RAW = re.compile("[\x1b\x9b\x07\x08\r]")


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so the CLI's guard cannot swallow it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


# ----------------------------------------------------------------------------- generators


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


PATHS = _paths(BASE_CASE)


def _corrupt(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(max(len(data), 1))
        action = rng.choice(["flip", "insert", "delete", "repeat"])
        if action == "flip" and data:
            data[at] = rng.randrange(256)
        elif action == "insert":
            data[at:at] = rng.choice([b"[", b"{", b"&a ", b"*a", b": ", b"\n  - ", b'"', b"\xff"])
        elif action == "delete":
            del data[at : at + rng.randint(1, 60)]
        else:
            data[at:at] = data[at : at + 20] * rng.randint(2, 200)
    return bytes(data)


def case_file(rng: random.Random) -> tuple[str, bytes, str]:
    as_json = rng.random() < 0.4
    data: Any = json.loads(json.dumps(BASE_CASE, default=str))
    what = "corrupted bytes"
    if rng.random() < 0.6:
        changed = []
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(PATHS)
            try:
                target = data
                for part in path[:-1]:
                    target = target[part]
                atom = rng.choice(ATOMS)
                target[path[-1]] = atom
                changed.append(".".join(map(str, path)))
            except (KeyError, IndexError, TypeError):
                continue
        what = "values at " + ", ".join(changed)
    if as_json:
        text = json.dumps(data, ensure_ascii=False, default=str)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    raw = text.encode("utf-8", errors="surrogatepass")
    if what == "corrupted bytes":
        raw = _corrupt(raw, rng)
    return (".json" if as_json else ".yaml"), raw, what


def lesion_table(rng: random.Random) -> tuple[str, bytes, str]:
    if rng.random() < 0.4:
        return ".csv", _corrupt(BASE_CSV.encode(), rng), "corrupted bytes"
    lines = BASE_CSV.splitlines()
    rows = [i for i, line in enumerate(lines) if line and not line.startswith("#")][1:]
    if rng.random() < 0.1:  # many dates
        header = "date,lesion,organ,kind,node,mm,assessment"
        body = [f"{2000 + i // 12}-{i % 12 + 1:02d}-01,L1,lung,target,no,20," for i in range(300)]
        return ".csv", "\n".join([header, *body]).encode(), "300 dates"
    for _ in range(rng.randint(1, 3)):
        index = rng.choice(rows)
        cells = lines[index].split(",")
        cells[rng.randrange(len(cells))] = str(rng.choice(ATOMS))[:200_000]
        lines[index] = ",".join(cells)
    return ".csv", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), "hostile cells"


def text(rng: random.Random) -> tuple[str, bytes, str]:
    odd = [". ", ", ", "\n", "(", ")", "\u00ad", "ﬁ", "\t"]
    pieces = []
    for _ in range(rng.randint(1, 2000)):
        roll = rng.random()
        if roll < 0.005:
            pieces.append(CONTROL)  # rare: many controls make it "binary" (HT105)
        elif roll < 0.2:
            pieces.append(rng.choice(odd))
        elif roll < 0.3:
            pieces.append(str(rng.randint(-(10**9), 10**12)))
        else:
            pieces.append(rng.choice(WORDS))
    joined = " ".join(pieces)
    return ".txt", joined.encode("utf-8"), f"{len(pieces)} pieces"


def html(rng: random.Random) -> tuple[str, bytes, str]:
    if rng.random() < 0.1:  # a fragment: maybe no element at all
        pieces = ["<!-- c -->", "</p>", "<!doctype html>", "<?pi x?>", "<", "&amp;", "<p>x"]
        fragment = "".join(rng.choices(pieces, k=rng.randint(1, 4)))
        return ".html", fragment.encode(), "fragment"
    tags = ["div", "p", "span", "table", "tr", "td", "li", "pre", "main", "article", "nav"]
    depth = rng.choice([0, 3, 30, 150, 300])
    opened = [rng.choice(tags) for _ in range(depth)]
    inner = text(rng)[1].decode().replace("<", "&lt;")
    body = "".join(f"<{t}>" for t in opened) + inner
    if rng.random() < 0.5:
        body += "".join(f"</{t}>" for t in reversed(opened))
    page = f"<html><body>{body}</body></html>"
    return ".html", page.encode("utf-8"), f"depth {depth}"


def pdf(rng: random.Random) -> tuple[str, bytes, str]:
    kind = rng.choice(["random", "box", "bomb", "columns"])
    if kind == "columns":
        pages = rng.randint(1, 20)
        return ".pdf", pdf_bytes(two_column_pages(pages, 20)), f"{pages} two-column pages"
    if kind == "bomb":
        size = rng.choice([10**6, 10**7, 10**8])
        raw = pdf_bytes([[(10, 10, "CK 3000 U/L")]], compress=True, padding=size)
        return ".pdf", raw, f"{size:,} bytes compressed"
    items = [
        (rng.uniform(-500, 3000), rng.uniform(-500, 3000), " ".join(rng.choices(WORDS, k=6)))
        for _ in range(rng.randint(0, 40))
    ]
    box = rng.choice([(612.0, 792.0), (0.0, 0.0), (1.0, 1.0), (14_400.0, 14_400.0), (1e9, 1e9)])
    raw = pdf_bytes([items], media_box=box, compress=rng.random() < 0.5)
    if kind == "box":
        raw = _corrupt(raw, rng)
    return ".pdf", raw, f"{kind}, box {box[0]:g}"


GENERATORS: dict[str, tuple[Callable[[random.Random], tuple[str, bytes, str]], list[str]]] = {
    "case": (case_file, ["assess", "timeline", "screening", "recist"]),
    "csv": (lesion_table, ["recist"]),
    "text": (text, ["extract", "assess"]),
    "html": (html, ["extract"]),
    "pdf": (pdf, ["extract"]),
}


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    kind: str
    command: str
    what: str
    seconds: float
    verdict: str  # ok, coded, crash, hang
    detail: str
    content: bytes
    suffix: str


def _verdict(exit_code: int, output: str, exception: BaseException | None) -> tuple[str, str]:
    if exception is not None and not isinstance(exception, SystemExit):
        return "crash", f"{type(exception).__name__} escaped"
    if "Traceback" in output:
        return "crash", "traceback printed"
    code = _CODE.search(output)
    if code and code.group(1) == "HT900":
        return "crash", "guard reached (HT900)"
    if _RAW.search(output):
        return "crash", "raw control character on the terminal"
    if exit_code == 0:
        return "ok", ""
    if exit_code == 2 and code:
        return "coded", code.group(1)
    return "crash", f"exit {exit_code} without a code"


def run_one(runner: CliRunner, folder: Path, kind: str, rng: random.Random, timeout: float) -> Run:
    make, commands = GENERATORS[kind]
    suffix, content, what = make(rng)
    command = rng.choice(commands)
    path = folder / f"input{suffix}"
    path.write_bytes(content)
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = runner.invoke(app, [command, str(path)])
        verdict, detail = _verdict(result.exit_code, result.output, result.exception)
    except Hang:
        verdict, detail = "hang", f"over {timeout:g} s"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return Run(kind, command, what, time.perf_counter() - start, verdict, detail, content, suffix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, default=300, help="inputs to run (10^5: --count 100000)"
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--kinds", default=",".join(GENERATORS), help="case,csv,text,html,pdf")
    parser.add_argument("--save", type=Path, help="folder for crashing and hanging inputs")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k in GENERATORS]
    rng = random.Random(args.seed)
    runner = CliRunner()
    signal.signal(signal.SIGALRM, _alarm)
    runs: list[Run] = []
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth: list[tuple[int, Run]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.count):
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            run = run_one(runner, Path(folder), kinds[index % len(kinds)], rng, args.timeout)
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if after > before:
                growth.append((after - before, run))
            run.content = run.content if run.verdict in ("crash", "hang") else b""
            runs.append(run)
            if (index + 1) % 500 == 0:
                print(f"  {index + 1} inputs, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdicts = Counter(r.verdict for r in runs)
    print(
        f"fuzz: {len(runs)} inputs in {elapsed:.0f} s "
        f"(seed {args.seed}, timeout {args.timeout:g} s)"
    )
    print("  by kind: " + ", ".join(f"{k} {sum(r.kind == k for r in runs)}" for k in kinds))
    print(
        f"  ok {verdicts['ok']}, coded errors {verdicts['coded']}, "
        f"crashes {verdicts['crash']}, hangs {verdicts['hang']}"
    )
    codes = Counter(r.detail for r in runs if r.verdict == "coded")
    print("  codes: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
    print(
        f"  peak memory (process, ru_maxrss): {peak / 1024:.0f} MB "
        f"(at start {peak_before / 1024:.0f} MB)"
    )
    for delta, run in sorted(growth, key=lambda g: -g[0])[:3]:
        print(f"    +{delta / 1024:.0f} MB on {run.kind} {run.command}: {run.what[:70]}")
    print("  slowest inputs:")
    for run in sorted(runs, key=lambda r: -r.seconds)[:10]:
        print(
            f"    {run.seconds:7.2f} s  {run.kind:5} {run.command:9} {run.verdict:6} "
            f"{run.what[:60]}"
        )
    bad = [r for r in runs if r.verdict in ("crash", "hang")]
    for run in bad[:20]:
        print(f"  {run.verdict.upper()}: {run.kind} {run.command}: {run.detail} ({run.what[:60]})")
    if bad and args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for number, run in enumerate(bad):
            name = f"{run.kind}-{run.verdict}-{args.seed}-{number}{run.suffix}"
            (args.save / name).write_bytes(run.content)
        print(f"  saved {len(bad)} inputs under {args.save}")
    return 1 if bad else 0


if __name__ == "__main__":
    status = main()
    if status:  # crashes or hangs: a non-zero exit (make bench carries on otherwise)
        raise SystemExit(status)
