"""Phenotypes OHDSI's library lacks, as named, versioned cohort definitions over the compiled
criteria (``heliotrope cohort run --phenotypes``), in the OHDSI COHORT table shape
(``cohort_definition_id, subject_id, cohort_start_date, cohort_end_date``) plus the name,
version and a detail column.

- ``iim_eular_acr_2017.v1``: IIM by the 2017 EULAR/ACR criteria, probable or definite (headline
  convention), with the subgroup;
- ``dm_enmc_2018.v1``: DM by ENMC 2018 (any DM class: definite, hypomyopathic, amyopathic,
  probable, sine dermatitis; structure unconfirmed, spec §3);
- ``cam_3y.v1``: cancer-associated myositis, a cancer within ±3 years of the myositis index
  date (IMACS 2023 window);
- ``tif1g_dm_unscreened.v1``: anti-TIF1γ-positive DM (EULAR/ACR subgroup DM or ADM, or an ENMC
  2018 DM class) with no cancer screening recorded from the index date to 3 years after it
  (the IMACS 2023 screening window).

Start date: the myositis index date (the earliest DM or PM condition). End date: the same (the
definitions classify; they do not follow episodes). Criteria classify, they do not diagnose.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXTRA_ITEMS", "PHENOTYPES", "Phenotype", "phenotype_sql"]


@dataclass(frozen=True)
class Phenotype:
    id: int
    name: str
    version: str
    condition: str
    detail: str = "CAST(NULL AS VARCHAR)"


_DM_ENMC = "e.category <> 'not_met'"
PHENOTYPES: tuple[Phenotype, ...] = (
    Phenotype(1, "iim_eular_acr_2017", "v1", "a.category IN ('probable', 'definite')", "a.detail"),
    Phenotype(2, "dm_enmc_2018", "v1", _DM_ENMC, "e.category"),
    Phenotype(3, "cam_3y", "v1", "k.category = 'yes'"),
    Phenotype(
        4,
        "tif1g_dm_unscreened",
        "v1",
        "COALESCE(i.anti_tif1g, FALSE) AND NOT i.screening_in_imacs_window AND "
        f"((a.category IN ('probable', 'definite') AND a.detail IN ('DM', 'ADM')) OR {_DM_ENMC})",
    ),
)
#: Items the phenotypes read beyond the criteria's own.
EXTRA_ITEMS = ("anti_tif1g", "screening_in_imacs_window")


def phenotype_sql() -> str:
    """SQL over ``i`` (items) and ``r`` (criteria rows) giving the phenotype cohort rows."""
    parts = []
    for p in PHENOTYPES:
        parts.append(
            f"SELECT {p.id} AS cohort_definition_id, '{p.name}' AS cohort_name, "
            f"'{p.version}' AS cohort_version, i.person_id AS subject_id, "
            "i.index_date AS cohort_start_date, i.index_date AS cohort_end_date, "
            f"{p.detail} AS detail FROM i "
            "JOIN r AS a ON a.person_id = i.person_id AND a.criterion = 'eular_acr_2017' "
            "JOIN r AS e ON e.person_id = i.person_id AND e.criterion = 'enmc_2018_dm' "
            "JOIN r AS k ON k.person_id = i.person_id "
            "AND k.criterion = 'cancer_associated_myositis' "
            f"WHERE i.index_date IS NOT NULL AND ({p.condition})"
        )
    return " UNION ALL ".join(parts)
