"""OMOP item readers: each criterion item as SQL over the CDM tables (OMOP CDM v5.4).

One pass per table aggregates what each person's rows say (per concept set), then every item is
a three-valued SQL boolean (NULL = unknown) that follows the record reader it mirrors
(:mod:`heliotrope.criteria.readers`, :mod:`heliotrope.criteria.readers_extra`):

- findings (``finding_*`` sets): present from a CONDITION_OCCURRENCE row or an asserted NOTE_NLP
  term (``term_exists = 'Y'``), absent from a NOTE_NLP term negated by the text reader
  (``term_exists = 'N'`` with ``negated=true`` in ``term_modifiers``), unknown otherwise: a
  condition table cannot say "absent", and a hypothetical or family mention says nothing;
- symmetric proximal weakness (EULAR/ACR items 3-4, ENMC weakness; ``criteria.weakness``):
  the side is read from a NOTE_NLP term's ``term_modifiers`` (``laterality=both``, ``=left``,
  ``=right``, as ``cohort notes`` and :func:`heliotrope.cohort.convert.record_rows` write it):
  both sides present, one side only absent, a present term of unrecorded side (every
  CONDITION_OCCURRENCE row: the table has no laterality) unknown;
- muscle enzymes (MEASUREMENT, ``range_high`` = the lab's ULN, same unit as the value):
  present if a value is above its ULN, absent only when every value was placed within its
  range, unknown otherwise (no range, or a censored value that cannot be placed: operator
  ``>``, ``>=``, ``<``, ``<=`` as in :func:`heliotrope.model.ranges.above_uln`);
- antibodies (MEASUREMENT ``value_as_concept_id``): positive present; weakly positive unknown;
  negative absent; none recorded unknown;
- age bands at the myositis index date (the earliest ``myositis_index`` condition) from PERSON
  (a missing month or day makes the birth date a range, as a partial date does in a record);
- cancer within ±36 calendar months of the index date (``cancer`` set with its descendants):
  present if one is in the window, absent only when follow-up (the latest date the CDM holds
  for the person: observation period end or any event) reaches the window's end;
- what the CDM cannot hold (biopsy features, EMG, MRI, the entry condition "no better
  explanation", MRC grades) is NULL: unknown, and the score range shows its effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ANTIBODIES",
    "CDM_ITEMS",
    "ENZYMES",
    "FINDINGS",
    "OPERATORS",
    "SIDES",
    "SYMMETRIC",
    "ReaderSQL",
    "reader_sql",
]

FINDINGS: tuple[str, ...] = (
    "heliotrope_rash",
    "gottron_papules",
    "gottron_sign",
    "dysphagia",
    "oesophageal_dysmotility",
    "weakness_proximal_upper",
    "weakness_proximal_lower",
    "weakness_neck_flexors",
    "neck_flexors_weaker_than_extensors",
    "legs_proximal_weaker_than_distal",
    "finger_flexor_weakness",
    "no_response_to_treatment",
)
#: Findings whose side matters: EULAR/ACR items 3-4 and ENMC weakness need both sides
#: (:mod:`heliotrope.criteria.weakness`).
SYMMETRIC: tuple[str, ...] = ("weakness_proximal_upper", "weakness_proximal_lower")
#: The sides a NOTE_NLP term records in ``term_modifiers`` (``laterality=<side>``).
SIDES: tuple[str, ...] = ("both", "left", "right")
ENZYMES: tuple[str, ...] = ("ck", "ldh", "ast", "alt", "aldolase")
ANTIBODIES: tuple[str, ...] = (
    "anti_jo1",
    "anti_tif1g",
    "anti_nxp2",
    "anti_mi2",
    "anti_mda5",
    "anti_sae",
)
#: OMOP "Meas Value Operator" concepts (CDM v5.4 MEASUREMENT.operator_concept_id).
OPERATORS: Mapping[str, int] = {
    "=": 4172703,
    "<": 4171756,
    "<=": 4171754,
    ">": 4172704,
    ">=": 4171755,
}
WINDOW_MONTHS = 36


def _in(ids: tuple[int, ...]) -> str:
    return ", ".join(str(i) for i in ids) if ids else "NULL"


def _finding_base(code: str) -> str:
    cond, nlp = f"c.cond_{code}", f"n.nlp_{code}"
    return (
        f"CASE WHEN COALESCE({cond}, FALSE) OR COALESCE({nlp}, FALSE) THEN TRUE "
        f"WHEN {nlp} = FALSE THEN FALSE ELSE CAST(NULL AS BOOLEAN) END"
    )


def _symmetric(code: str) -> str:
    """Weakness on both sides (``criteria.weakness.symmetric_weakness`` without MRC grades, which
    the CDM cannot hold): both sides recorded present; a present term of unrecorded side (any
    CONDITION_OCCURRENCE row, or a NOTE_NLP term without ``laterality``) unknown; one side only
    absent; no present term: the finding's own absent / unknown."""
    side = {s: f"COALESCE(n.nlp_{code}_{s}, FALSE)" for s in (*SIDES, "unsided")}
    return (
        f"CASE WHEN {side['both']} OR ({side['left']} AND {side['right']}) THEN TRUE "
        f"WHEN COALESCE(c.cond_{code}, FALSE) OR {side['unsided']} THEN CAST(NULL AS BOOLEAN) "
        f"WHEN {side['left']} OR {side['right']} THEN FALSE "
        f"WHEN n.nlp_{code} = FALSE THEN FALSE ELSE CAST(NULL AS BOOLEAN) END"
    )


def _enzymes(analytes: tuple[str, ...]) -> str:
    above = " OR ".join(f"COALESCE(b.above_{a}, FALSE)" for a in analytes)
    count = " + ".join(f"COALESCE(b.n_{a}, 0)" for a in analytes)
    decided = " + ".join(f"COALESCE(b.decided_{a}, 0)" for a in analytes)
    return (
        f"CASE WHEN {above} THEN TRUE WHEN ({count}) > 0 AND ({count}) = ({decided}) THEN FALSE "
        "ELSE CAST(NULL AS BOOLEAN) END"
    )


def _antibody(name: str) -> str:
    return f"b.ab_{name}"


def _antibody_base(name: str) -> str:
    return (
        f"CASE WHEN m.pos_{name} THEN TRUE WHEN m.weak_{name} THEN CAST(NULL AS BOOLEAN) "
        f"WHEN m.neg_{name} THEN FALSE ELSE CAST(NULL AS BOOLEAN) END"
    )


def _age_band(low: int | None, high: int | None) -> str:
    """[low, high) in whole years at the index date; a partial birth date is a range."""

    def whole(birth: str) -> str:
        return (
            f"(YEAR(b.index_date) - YEAR({birth}) - CASE WHEN MONTH(b.index_date) * 100 + "
            f"DAY(b.index_date) < MONTH({birth}) * 100 + DAY({birth}) THEN 1 ELSE 0 END)"
        )

    lo, hi = whole("b.birth_latest"), whole("b.birth_earliest")
    inside = [f"{lo} >= {low}"] if low is not None else []
    inside += [f"{hi} < {high}"] if high is not None else []
    outside = [f"{hi} < {low}"] if low is not None else []
    outside += [f"{lo} >= {high}"] if high is not None else []
    return (
        f"CASE WHEN b.index_date IS NULL THEN CAST(NULL AS BOOLEAN) "
        f"WHEN {' AND '.join(inside)} THEN TRUE WHEN {' OR '.join(outside)} THEN FALSE "
        "ELSE CAST(NULL AS BOOLEAN) END"
    )


def _items() -> dict[str, str]:
    f = {code: f"b.f_{code}" for code in FINDINGS}
    both = {code: f"b.both_{code}" for code in SYMMETRIC}
    unknown = "CAST(NULL AS BOOLEAN)"
    dm_specific = " OR ".join(
        f"({_antibody(a)})"
        for a in ("anti_tif1g", "anti_nxp2", "anti_mi2", "anti_mda5", "anti_sae")
    )
    items = {
        "muscle_biopsy_performed": "COALESCE(b.muscle_biopsy, FALSE)",
        "age_onset_under_18": _age_band(None, 18),
        "age_onset_18_to_40": _age_band(18, 40),
        "age_onset_40_plus": _age_band(40, None),
        "weakness_proximal_upper": both["weakness_proximal_upper"],
        "weakness_proximal_lower": both["weakness_proximal_lower"],
        "neck_flexors_weaker_than_extensors": (
            f"CASE WHEN ({f['neck_flexors_weaker_than_extensors']}) IS NOT NULL "
            f"THEN ({f['neck_flexors_weaker_than_extensors']}) "
            f"WHEN ({f['weakness_neck_flexors']}) = FALSE THEN FALSE ELSE {unknown} END"
        ),
        "legs_proximal_weaker_than_distal": (
            f"CASE WHEN ({f['legs_proximal_weaker_than_distal']}) IS NOT NULL "
            f"THEN ({f['legs_proximal_weaker_than_distal']}) "
            f"WHEN ({f['weakness_proximal_lower']}) = FALSE THEN FALSE ELSE {unknown} END"
        ),
        "heliotrope_rash": f["heliotrope_rash"],
        "gottron_papules": f["gottron_papules"],
        "gottron_sign": f["gottron_sign"],
        "dysphagia_or_oesophageal_dysmotility": (
            f"CASE WHEN ({f['dysphagia']}) OR ({f['oesophageal_dysmotility']}) THEN TRUE "
            f"WHEN ({f['dysphagia']}) = FALSE THEN FALSE ELSE {unknown} END"
        ),
        "anti_jo1": _antibody("anti_jo1"),
        "anti_tif1g": _antibody("anti_tif1g"),
        "elevated_muscle_enzymes": _enzymes(("ck", "ldh", "ast", "alt")),
        "finger_flexor_weakness": f["finger_flexor_weakness"],
        "no_response_to_treatment": f["no_response_to_treatment"],
        "proximal_weakness": (
            f"({both['weakness_proximal_upper']}) OR ({both['weakness_proximal_lower']})"
        ),
        "elevated_ck": _enzymes(("ck",)),
        "dm_specific_antibody": dm_specific,
        "no_clinical_weakness": (
            f"NOT (({f['weakness_proximal_upper']}) OR ({f['weakness_proximal_lower']}))"
        ),
        "normal_ck": f"NOT ({_enzymes(('ck',))})",
        "cancer_within_3_years": (
            f"CASE WHEN b.index_date IS NULL THEN {unknown} WHEN b.cancer_in_window THEN TRUE "
            f"WHEN COALESCE(b.follow_up >= b.window_end, FALSE) THEN FALSE ELSE {unknown} END"
        ),
        "screening_in_imacs_window": "COALESCE(b.screening_in_window, FALSE)",
    }
    for key in (
        "biopsy_endomysial_infiltrate",
        "biopsy_perimysial_perivascular_infiltrate",
        "biopsy_perifascicular_atrophy",
        "biopsy_rimmed_vacuoles",
        "better_explanation",
        "muscle_biopsy_dm_features",
        "skin_biopsy_compatible",
        "subclinical_muscle_involvement",
    ):
        items[key] = unknown
    return items


#: Every item key the CDM readers define (NULL-only items included: their unknown is real).
CDM_ITEMS: tuple[str, ...] = tuple(_items())


@dataclass(frozen=True)
class ReaderSQL:
    """The per-person aggregate CTEs and the item expressions over them (DuckDB dialect)."""

    ctes: tuple[tuple[str, str], ...]
    items: Mapping[str, str]


def reader_sql(ids: Mapping[str, tuple[int, ...]]) -> ReaderSQL:
    """The readers with concept ids ``ids`` (from :func:`heliotrope.cohort.concepts.resolve`)."""
    op = OPERATORS
    above = (
        "CASE WHEN range_high IS NULL THEN CAST(NULL AS BOOLEAN) "
        f"WHEN operator_concept_id IS NULL OR operator_concept_id IN (0, {op['=']}) "
        "THEN value_as_number > range_high "
        f"WHEN operator_concept_id = {op['>']} THEN CASE WHEN value_as_number >= range_high "
        "THEN TRUE END "
        f"WHEN operator_concept_id = {op['>=']} THEN CASE WHEN value_as_number > range_high "
        "THEN TRUE END "
        f"WHEN operator_concept_id IN ({op['<']}, {op['<=']}) THEN CASE WHEN value_as_number "
        "<= range_high THEN FALSE END ELSE CAST(NULL AS BOOLEAN) END"
    )
    # Only the measurements a criterion reads are aggregated (most of a real MEASUREMENT table
    # is other labs); the latest date of all of them still counts as follow-up (``ml``).
    wanted = [ids["lab_" + a] for a in ENZYMES] + [ids["antibody_" + n] for n in ANTIBODIES]
    relevant = _in(tuple(sorted({i for group in wanted for i in group})))
    meas_cols = []
    for analyte in ENZYMES:
        concepts = _in(ids["lab_" + analyte])
        s = f"measurement_concept_id IN ({concepts}) AND value_as_number IS NOT NULL"
        meas_cols += [
            f"SUM(CASE WHEN {s} THEN 1 ELSE 0 END) AS n_{analyte}",
            f"SUM(CASE WHEN {s} AND above IS NOT NULL THEN 1 ELSE 0 END) AS decided_{analyte}",
            f"BOOL_OR(CASE WHEN {s} THEN above END) AS above_{analyte}",
        ]
    values = {"pos": "value_positive", "weak": "value_weak", "neg": "value_negative"}
    for name in ANTIBODIES:
        s = f"measurement_concept_id IN ({_in(ids['antibody_' + name])})"
        for prefix, value_set in values.items():
            meas_cols.append(
                f"BOOL_OR(CASE WHEN {s} AND value_as_concept_id IN ({_in(ids[value_set])}) "
                f"THEN TRUE END) AS {prefix}_{name}"
            )
    cond_cols = [
        f"MIN(CASE WHEN condition_concept_id IN ({_in(ids['myositis_index'])}) "
        "THEN condition_start_date END) AS index_date",
        "MAX(condition_start_date) AS last_date",
    ] + [
        f"BOOL_OR(CASE WHEN condition_concept_id IN ({_in(ids['finding_' + c])}) THEN TRUE END) "
        f"AS cond_{c}"
        for c in FINDINGS
    ]
    nlp_cols = [
        f"BOOL_OR(CASE WHEN x.note_nlp_concept_id IN ({_in(ids['finding_' + c])}) THEN "
        "(CASE WHEN x.term_exists = 'Y' THEN TRUE WHEN x.term_exists = 'N' AND "
        "x.term_modifiers LIKE '%negated=true%' THEN FALSE END) END) "
        f"AS nlp_{c}"
        for c in FINDINGS
    ]
    asserted = "x.term_exists = 'Y'"
    for code in SYMMETRIC:
        concepts = _in(ids["finding_" + code])
        sided = {s: f"COALESCE(x.term_modifiers, '') LIKE '%laterality={s}%'" for s in SIDES}
        sided["unsided"] = " AND ".join(f"NOT ({v})" for v in sided.values())
        nlp_cols += [
            f"BOOL_OR(x.note_nlp_concept_id IN ({concepts}) AND {asserted} "
            f"AND {cond}) AS nlp_{code}_{side}"
            for side, cond in sided.items()
        ]
    nlp_cols.append("MAX(t.note_date) AS last_date")
    ctes = (
        (
            "c0",
            "SELECT person_id, " + ", ".join(cond_cols) + " FROM condition_occurrence "
            "GROUP BY person_id",
        ),
        (
            "c",
            "SELECT person_id, index_date, last_date, "
            + ", ".join(f"cond_{code}" for code in FINDINGS)
            + f", index_date + INTERVAL {WINDOW_MONTHS} MONTH AS window_end FROM c0",
        ),
        (
            "m",
            "SELECT person_id, "
            + ", ".join(meas_cols)
            + f" FROM (SELECT *, ({above}) AS above FROM measurement "
            f"WHERE measurement_concept_id IN ({relevant})) AS x GROUP BY person_id",
        ),
        (
            "ml",
            "SELECT person_id, MAX(measurement_date) AS last_date FROM measurement "
            "GROUP BY person_id",
        ),
        (
            "n",
            "SELECT t.person_id, " + ", ".join(nlp_cols) + " FROM note_nlp AS x JOIN note AS t "
            "ON x.note_id = t.note_id GROUP BY t.person_id",
        ),
        (
            "r",
            f"SELECT person_id, BOOL_OR(procedure_concept_id IN ({_in(ids['muscle_biopsy'])})) "
            "AS muscle_biopsy, MAX(procedure_date) AS last_date FROM procedure_occurrence "
            "GROUP BY person_id",
        ),
        (
            "o",
            "SELECT person_id, MAX(observation_period_end_date) AS last_date "
            "FROM observation_period GROUP BY person_id",
        ),
        (
            "k",
            "SELECT c.person_id, "
            f"BOOL_OR(e.kind = 'cancer' AND e.d >= c.index_date - INTERVAL {WINDOW_MONTHS} MONTH "
            "AND e.d <= c.window_end) AS cancer_in_window, "
            "BOOL_OR(e.kind = 'screening' AND e.d >= c.index_date AND e.d <= c.window_end) "
            "AS screening_in_window FROM c JOIN ("
            "SELECT person_id, condition_start_date AS d, 'cancer' AS kind FROM "
            f"condition_occurrence WHERE condition_concept_id IN ({_in(ids['cancer'])}) "
            "UNION ALL SELECT person_id, procedure_date AS d, 'screening' AS kind FROM "
            f"procedure_occurrence WHERE procedure_concept_id IN ({_in(ids['cancer_screening'])})"
            ") AS e ON e.person_id = c.person_id WHERE c.index_date IS NOT NULL "
            "GROUP BY c.person_id",
        ),
        (
            "z",
            "SELECT q.person_id, MAX(q.d) AS follow_up FROM ("
            "SELECT person_id, last_date AS d FROM c UNION ALL "
            "SELECT person_id, last_date AS d FROM ml UNION ALL "
            "SELECT person_id, last_date AS d FROM n UNION ALL "
            "SELECT person_id, last_date AS d FROM r UNION ALL "
            "SELECT person_id, last_date AS d FROM o) AS q GROUP BY q.person_id",
        ),
        (
            "p",
            "SELECT person_id, MAKE_DATE(year_of_birth, COALESCE(month_of_birth, 1), "
            "COALESCE(day_of_birth, 1)) AS birth_earliest, "
            "CASE WHEN month_of_birth IS NULL THEN MAKE_DATE(year_of_birth, 12, 31) "
            "WHEN day_of_birth IS NULL THEN LAST_DAY(MAKE_DATE(year_of_birth, month_of_birth, 1)) "
            "ELSE MAKE_DATE(year_of_birth, month_of_birth, day_of_birth) END AS birth_latest "
            "FROM person",
        ),
    )
    return ReaderSQL(ctes=ctes, items=_items())


def base_sql() -> str:
    """One row per person: every aggregate the items read, findings and antibodies decided."""
    cols = [
        "p.person_id",
        "p.birth_earliest",
        "p.birth_latest",
        "c.index_date",
        "c.window_end",
        "r.muscle_biopsy",
        "k.cancer_in_window",
        "k.screening_in_window",
        "z.follow_up",
    ]
    cols += [f"m.{kind}_{a}" for a in ENZYMES for kind in ("n", "decided", "above")]
    cols += [f"({_finding_base(code)}) AS f_{code}" for code in FINDINGS]
    cols += [f"({_antibody_base(name)}) AS ab_{name}" for name in ANTIBODIES]
    cols += [f"({_symmetric(code)}) AS both_{code}" for code in SYMMETRIC]
    return "SELECT " + ", ".join(cols) + " " + JOINS


#: The joins that put one person's aggregates on one row (``p`` drives: every person).
JOINS = (
    "FROM p LEFT JOIN c ON c.person_id = p.person_id "
    "LEFT JOIN m ON m.person_id = p.person_id "
    "LEFT JOIN n ON n.person_id = p.person_id "
    "LEFT JOIN r ON r.person_id = p.person_id "
    "LEFT JOIN k ON k.person_id = p.person_id "
    "LEFT JOIN z ON z.person_id = p.person_id"
)
