"""Hypothesis strategy for whole case files (dicts in the case-file schema), used to generate
the golden inputs (``regenerate.py``): findings in all three statuses, labs in several units,
antibodies, investigations, cancers, treatments and activity, with exact, partial and relative
dates. Drawn with a fixed seed, then saved, so the inputs never depend on Hypothesis' version.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from heliotrope.model.vocabulary import (
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Status,
    TreatmentKind,
)

# Units per analyte (several per analyte, so conversions are exercised) and a plausible ULN.
LAB_UNITS: dict[str, tuple[tuple[str, float], ...]] = {
    "ck": (("U/L", 200.0), ("µkat/L", 3.3), ("IU/L", 170.0)),
    "aldolase": (("U/L", 7.6),),
    "ldh": (("U/L", 250.0), ("µkat/L", 4.2)),
    "ast": (("U/L", 40.0),),
    "alt": (("U/L", 45.0),),
    "crp": (("mg/L", 5.0), ("mg/dL", 0.5)),
    "esr": (("mm/h", 20.0),),
    "creatinine": (("µmol/L", 110.0), ("mg/dL", 1.2)),
    "myoglobin": (("µg/L", 70.0), ("ng/mL", 70.0)),
    "ferritin": (("µg/L", 300.0), ("ng/mL", 300.0)),
}

_EXACT = st.dates(
    min_value=__import__("datetime").date(2012, 1, 1),
    max_value=__import__("datetime").date(2024, 12, 31),
).map(lambda d: d.isoformat())
_PARTIAL = st.one_of(
    st.integers(2012, 2024).map(str),
    st.tuples(st.integers(2012, 2024), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)
_OFFSET = st.tuples(
    st.sampled_from(["+", "-"]), st.integers(0, 30), st.sampled_from(["days", "weeks", "months"])
).map(lambda t: f"{t[0]}{t[1]} {t[2]}")


def _date(anchors: bool) -> st.SearchStrategy[Any]:
    options: list[st.SearchStrategy[Any]] = [st.none(), _EXACT, _PARTIAL]
    if anchors:
        options.append(st.builds(lambda by: {"anchor": "index_event", "offset": by}, _OFFSET))
    return st.one_of(*options)


@st.composite
def case_files(draw: st.DrawFn) -> dict[str, Any]:
    """One case file as parsed YAML."""
    rel = draw(st.booleans())
    date = _date(rel)
    data: dict[str, Any] = {"id": "generated"}
    if rel:
        data["events"] = [{"id": "index_event", "kind": "presentation", "date": draw(_EXACT)}]
    age = draw(
        st.one_of(st.none(), st.integers(5, 90), st.floats(5, 90).map(lambda x: round(x, 1)))
    )
    if age is not None:
        data["demographics"] = {"age_years": age, "sex": draw(st.sampled_from(["female", "male"]))}
    data["myositis"] = {
        "onset": draw(date),
        "better_explanation": draw(st.sampled_from([s.value for s in Status])),
        "exclusions_considered": draw(st.sampled_from([None, True, False])),
    }
    codes = draw(st.lists(st.sampled_from(list(FindingCode)), max_size=14, unique=True))
    data["findings"] = [
        {
            "code": c.value,
            "status": draw(st.sampled_from([s.value for s in Status])),
            "date": draw(date),
        }
        for c in codes
    ]
    analytes = draw(st.lists(st.sampled_from(sorted(LAB_UNITS)), max_size=5))
    labs = []
    for analyte in analytes:
        unit, uln = draw(st.sampled_from(LAB_UNITS[analyte]))
        value = round(uln * draw(st.sampled_from([0.2, 0.9, 1.0, 1.5, 4.0, 12.0])), 3)
        lab: dict[str, Any] = {"analyte": analyte, "value": value, "unit": unit, "date": draw(date)}
        if draw(st.booleans()):
            lab["range"] = {"high": uln}
        labs.append(lab)
    data["labs"] = labs
    names = draw(st.lists(st.sampled_from(list(AntibodyName)), max_size=5, unique=True))
    data["antibodies"] = [
        {"name": n.value, "result": draw(st.sampled_from([r.value for r in AntibodyResult]))}
        for n in names
    ]
    kinds = draw(st.lists(st.sampled_from(list(InvestigationKind)), max_size=3, unique=True))
    investigations = []
    for kind in kinds:
        performed = draw(st.sampled_from([True, False, None]))
        found = draw(st.lists(st.sampled_from(list(InvestigationFinding)), max_size=3, unique=True))
        statuses = [Status.absent.value, Status.not_assessed.value]
        if performed is not False:
            statuses.append(Status.present.value)
        investigations.append(
            {
                "kind": kind.value,
                "performed": performed,
                "findings": {f.value: draw(st.sampled_from(statuses)) for f in found},
                "date": draw(date),
            }
        )
    data["investigations"] = investigations
    if draw(st.booleans()):
        data["cancers"] = [
            {
                "histology": draw(
                    st.sampled_from(["adenocarcinoma", "leiomyosarcoma", "lymphoma"])
                ),
                "site": draw(st.sampled_from([None, "ovary", "lung", "breast"])),
                "metastatic": draw(st.sampled_from([None, True, False])),
                "status": draw(st.sampled_from(["active", "remission", "unknown"])),
                "date": draw(date),
            }
        ]
    drugs = draw(
        st.lists(
            st.sampled_from(
                [
                    ("prednisolone", TreatmentKind.glucocorticoid),
                    ("methotrexate", TreatmentKind.immunosuppressant),
                    ("atorvastatin", TreatmentKind.other),
                    ("hydroxyurea", TreatmentKind.other),
                    ("doxorubicin", TreatmentKind.chemotherapy),
                ]
            ),
            max_size=3,
        )
    )
    data["treatments"] = [
        {"drug": d, "kind": k.value, "start": draw(date), "stop": draw(st.sampled_from([None]))}
        for d, k in drugs
    ]
    if draw(st.booleans()):
        grade = draw(st.sampled_from(["5", "4+", "4", "4-", "3", "3-4"]))
        data["activity"] = [
            {
                "date": draw(date),
                "grades": [
                    {"muscle": "proximal_upper", "mrc": grade},
                    {"muscle": "proximal_lower", "mrc": draw(st.sampled_from(["5", "4", "2"]))},
                ],
            }
        ]
    return data
