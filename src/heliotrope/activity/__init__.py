"""Disease activity and response: MRC and Kendall muscle grades, MMT-8, CDASI, and the
ACR/EULAR 2016 Total Improvement Score (clinical spec section 8); dated series for plots."""

from heliotrope.activity.cdasi import CdasiScore, cdasi, cdasi_severity
from heliotrope.activity.core_set import CoreSet, core_set, enzyme_times_uln
from heliotrope.activity.mmt8 import (
    MMT8_GROUPS,
    MMT8_LIMB_GROUPS,
    Mmt8Score,
    kendall,
    mmt8_bilateral,
    mmt8_unilateral,
)
from heliotrope.activity.mrc import MRC_GRADES, mrc_bounds, mrc_description
from heliotrope.activity.series import ActivityPoint, activity_series
from heliotrope.activity.tis import (
    TIS_TABLE,
    MeasureChange,
    TisResult,
    band_points,
    tis_for_record,
    total_improvement_score,
)

__all__ = [
    "MMT8_GROUPS",
    "MMT8_LIMB_GROUPS",
    "MRC_GRADES",
    "TIS_TABLE",
    "ActivityPoint",
    "CdasiScore",
    "CoreSet",
    "MeasureChange",
    "Mmt8Score",
    "TisResult",
    "activity_series",
    "band_points",
    "cdasi",
    "cdasi_severity",
    "core_set",
    "enzyme_times_uln",
    "kendall",
    "mmt8_bilateral",
    "mmt8_unilateral",
    "mrc_bounds",
    "mrc_description",
    "tis_for_record",
    "total_improvement_score",
]
