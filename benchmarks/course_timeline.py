"""The patient's course from text: the founding case's timeline read from both renditions.

For each rendition of the founding case report (``../shared/seeds``): how many facts are dated
from the story, the story's milestones (rash at the pre-treatment consultation, its fading on
doxorubicin, stable disease at the end of first-line chemotherapy, the flare, progression at
re-evaluation) against ``examples/founding-case.yaml``, the restaging alerts, and the CPU time
(one core, best of ``--repeat``) to read the document and lay out its timeline.

    .venv/bin/python benchmarks/course_timeline.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from heliotrope.io import load_record
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import FindingCode, RecistResponse, Status
from heliotrope.nlp.ingest import ingest
from heliotrope.nlp.reader import read_record
from heliotrope.timeline import build_timeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RENDITIONS = ("case-report.web.txt", "case-report.pdf.txt")


def _milestones(record: PatientRecord) -> dict[str, str]:
    def first(code: FindingCode, status: Status) -> str:
        for finding in record.findings:
            if finding.code is code and finding.status is status and finding.date is not None:
                return str(record.date_of(finding.date))
        return "undated"

    out = {
        "rash": first(FindingCode.photodistributed_erythema, Status.present),
        "rash faded": first(FindingCode.photodistributed_erythema, Status.absent),
        "flare (shawl sign)": first(FindingCode.shawl_sign, Status.present),
    }
    for assessment in record.tumour_assessments:
        verdict = assessment.reported_response
        if verdict in (RecistResponse.SD, RecistResponse.PD):
            out[f"{verdict.value} (reported)"] = str(record.date_of(assessment.date))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    args, _ = parser.parse_known_args()
    if not (SHARED / "seeds").is_dir():
        print("../shared/seeds is not beside this checkout: nothing to measure")
        return 0
    hand = build_timeline(load_record(ROOT / "examples" / "founding-case.yaml"))
    print(
        f"case file: {len(hand.restage_alerts)} restaging alert(s) at "
        + ", ".join(str(a.when) for a in hand.restage_alerts)
    )
    for name in RENDITIONS:
        path = SHARED / "seeds" / name
        best = float("inf")
        for _ in range(max(1, args.repeat)):
            start = time.process_time()
            document = ingest(path)
            result = read_record(document)
            timeline = build_timeline(result.record)
            best = min(best, time.process_time() - start)
        record = result.record
        facts = [entry for _path, entry in record.iter_facts()]
        dated = sum(
            1
            for e in facts
            if getattr(e, "date", None) is not None or getattr(e, "start", None) is not None
        )
        kb = len(document.text.encode()) / 1024
        print(f"\n{name}: {dated}/{len(facts)} facts dated from the story")
        for label, when in _milestones(record).items():
            print(f"  {label:<22} {when}")
        alerts = [f"{a.level} {a.when}" for a in timeline.alerts]
        print(f"  alerts                 {', '.join(alerts) or 'none'}")
        print(f"  read + timeline        {best * 1000:.0f} ms ({kb / best:,.0f} KB/s, one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
