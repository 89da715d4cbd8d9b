"""Throughput of the text layer: sections + sentence splitting + ConText, in KB/s.

Reads the seed case reports and the corpus texts in ``../shared`` (beside the checkout),
repeats them to about 1 MB, and times each stage on one core. ConText runs on every
sentence, with targets found by a small regex of clinical terms (a stand-in for the fact
extractors). Skips with a message when ``../shared`` is missing.

    .venv/bin/python benchmarks/context_speed.py [--megabytes 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from heliotrope.nlp.context import ConText
from heliotrope.nlp.ingest import ingest, ingest_text
from heliotrope.nlp.sections import split_sections
from heliotrope.nlp.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TARGETS = re.compile(
    r"\b(?:weakness|rash|biopsy|antibod(?:y|ies)|cancer|malignancy|myositis|dermatomyositis|"
    r"heliotrope|gottron\w*|papules|dysphagia|fever|ck|creatine kinase|emg|mri|anti-[\w-]+|"
    r"oedema|edema|erythema|sarcoma|carcinoma|pain|ana)\b",
    re.IGNORECASE,
)


def _texts() -> list[str]:
    paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    return [ingest(p).text for p in paths if p.name != "README.md"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    if not (SHARED / "seeds").is_dir():
        print(f"skipped: {SHARED} (the shared reference texts) is not beside this checkout")
        return 0
    texts = _texts()
    unit = "\n\n".join(texts)
    copies = max(1, round(args.megabytes * 1_048_576 / len(unit.encode("utf-8"))))
    doc = ingest_text("\n\n".join([unit] * copies), name="benchmark")
    size_kb = len(doc.text.encode("utf-8")) / 1024
    context = ConText()

    best: dict[str, float] = {}
    counts = (0, 0, 0)
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        sections = split_sections(doc)
        t1 = time.perf_counter()
        sentences = [s for sec in sections for s in split_sentences(doc.text, sec.start, sec.end)]
        t2 = time.perf_counter()
        targets = [  # the extractors' job: not timed
            [(s.start + m.start(), s.start + m.end()) for m in TARGETS.finditer(s.text)]
            for s in sentences
        ]
        n_targets = sum(len(t) for t in targets)
        t3 = time.perf_counter()
        for sentence, spans in zip(sentences, targets, strict=True):
            context.assert_targets(sentence, spans)
        t4 = time.perf_counter()
        counts = (len(sections), len(sentences), n_targets)
        for key, value in (("sections", t1 - t0), ("sentences", t2 - t1), ("context", t4 - t3)):
            best[key] = min(best.get(key, float("inf")), value)
    total = sum(best.values())
    print(f"text: {size_kb:,.0f} KB ({copies} copies of the seeds and corpus)")
    print(f"{counts[0]} sections, {counts[1]} sentences, {counts[2]} targets")
    for key, seconds in best.items():
        print(f"  {key:<10} {seconds * 1000:8.1f} ms  {size_kb / seconds:10,.0f} KB/s")
    print(f"  {'total':<10} {total * 1000:8.1f} ms  {size_kb / total:10,.0f} KB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
