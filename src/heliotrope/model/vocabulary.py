"""Closed vocabularies of the patient record.

The string values are part of the public contract (case files, JSON output, the database):
add members freely, never rename one. Synonyms used to read free text and to normalise user
input live in ``resources/synonyms.json``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Analyte",
    "AntibodyName",
    "AntibodyResult",
    "CancerStatus",
    "FindingCode",
    "InvestigationFinding",
    "InvestigationKind",
    "MuscleGroup",
    "Sex",
    "Side",
    "Status",
    "TreatmentKind",
]


class Status(StrEnum):
    """Whether a finding was looked for and seen. *Not assessed* is never the same as absent."""

    present = "present"
    absent = "absent"
    not_assessed = "not_assessed"


class Sex(StrEnum):
    female = "female"
    male = "male"
    unknown = "unknown"


class Side(StrEnum):
    left = "left"
    right = "right"
    both = "both"


class FindingCode(StrEnum):
    """Clinical findings the criteria read (skin, muscle, other organ)."""

    # Skin (hallmark DM signs first: EULAR/ACR items 7-9, Bohan & Peter C5)
    heliotrope_rash = "heliotrope_rash"
    gottron_papules = "gottron_papules"
    gottron_sign = "gottron_sign"
    # Skin, supportive
    shawl_sign = "shawl_sign"
    v_sign = "v_sign"
    holster_sign = "holster_sign"
    periungual_erythema = "periungual_erythema"
    nailfold_capillary_changes = "nailfold_capillary_changes"
    mechanics_hands = "mechanics_hands"
    flagellate_erythema = "flagellate_erythema"
    photodistributed_erythema = "photodistributed_erythema"
    periorbital_oedema = "periorbital_oedema"
    cutaneous_ulceration = "cutaneous_ulceration"
    calcinosis = "calcinosis"
    dm_rash = "dm_rash"  # a rash the clinician calls typical of DM, sign unspecified
    # Muscle
    weakness_proximal_upper = "weakness_proximal_upper"
    weakness_proximal_lower = "weakness_proximal_lower"
    weakness_neck_flexors = "weakness_neck_flexors"
    weakness_distal = "weakness_distal"
    weakness_truncal = "weakness_truncal"
    neck_flexors_weaker_than_extensors = "neck_flexors_weaker_than_extensors"
    legs_proximal_weaker_than_distal = "legs_proximal_weaker_than_distal"
    finger_flexor_weakness = "finger_flexor_weakness"
    myalgia = "myalgia"
    # Other organs
    dysphagia = "dysphagia"
    oesophageal_dysmotility = "oesophageal_dysmotility"
    respiratory_muscle_weakness = "respiratory_muscle_weakness"
    interstitial_lung_disease = "interstitial_lung_disease"
    raynaud = "raynaud"
    arthritis = "arthritis"
    fever = "fever"
    # Course
    no_response_to_treatment = "no_response_to_treatment"
    persistent_high_disease_activity = "persistent_high_disease_activity"
    rapid_onset = "rapid_onset"


class MuscleGroup(StrEnum):
    """Muscle groups graded on the MRC or Kendall scale (MMT-8 groups included)."""

    neck_flexors = "neck_flexors"
    neck_extensors = "neck_extensors"
    deltoid = "deltoid"
    biceps = "biceps"
    triceps = "triceps"
    wrist_extensors = "wrist_extensors"
    finger_flexors = "finger_flexors"
    gluteus_maximus = "gluteus_maximus"
    gluteus_medius = "gluteus_medius"
    hip_flexors = "hip_flexors"
    quadriceps = "quadriceps"
    hamstrings = "hamstrings"
    ankle_dorsiflexors = "ankle_dorsiflexors"
    ankle_plantarflexors = "ankle_plantarflexors"
    # Summary groups used when a note grades a region rather than a muscle.
    proximal_upper = "proximal_upper"
    proximal_lower = "proximal_lower"
    distal_upper = "distal_upper"
    distal_lower = "distal_lower"


PROXIMAL_UPPER = frozenset({MuscleGroup.deltoid, MuscleGroup.biceps, MuscleGroup.proximal_upper})
PROXIMAL_LOWER = frozenset(
    {
        MuscleGroup.gluteus_maximus,
        MuscleGroup.gluteus_medius,
        MuscleGroup.hip_flexors,
        MuscleGroup.quadriceps,
        MuscleGroup.hamstrings,
        MuscleGroup.proximal_lower,
    }
)
DISTAL_LOWER = frozenset(
    {MuscleGroup.ankle_dorsiflexors, MuscleGroup.ankle_plantarflexors, MuscleGroup.distal_lower}
)


class AntibodyName(StrEnum):
    """Myositis-specific (MSA), myositis-associated (MAA) and other autoantibodies."""

    anti_jo1 = "anti_jo1"
    anti_pl7 = "anti_pl7"
    anti_pl12 = "anti_pl12"
    anti_ej = "anti_ej"
    anti_oj = "anti_oj"
    anti_tif1g = "anti_tif1g"
    anti_nxp2 = "anti_nxp2"
    anti_mi2 = "anti_mi2"
    anti_mda5 = "anti_mda5"
    anti_sae = "anti_sae"
    anti_srp = "anti_srp"
    anti_hmgcr = "anti_hmgcr"
    anti_pm_scl = "anti_pm_scl"
    anti_ku = "anti_ku"
    anti_u1rnp = "anti_u1rnp"
    anti_ro52 = "anti_ro52"
    ana = "ana"
    anti_dsdna = "anti_dsdna"
    anti_ena = "anti_ena"
    anti_ccp = "anti_ccp"
    # Onconeural antibodies (Graus 2004: well characterised)
    anti_hu = "anti_hu"
    anti_yo = "anti_yo"
    anti_cv2 = "anti_cv2"
    anti_ri = "anti_ri"
    anti_ma2 = "anti_ma2"
    anti_amphiphysin = "anti_amphiphysin"


DM_SPECIFIC_ANTIBODIES = frozenset(
    {
        AntibodyName.anti_tif1g,
        AntibodyName.anti_nxp2,
        AntibodyName.anti_mi2,
        AntibodyName.anti_mda5,
        AntibodyName.anti_sae,
    }
)
ANTISYNTHETASE_ANTIBODIES = frozenset(
    {
        AntibodyName.anti_jo1,
        AntibodyName.anti_pl7,
        AntibodyName.anti_pl12,
        AntibodyName.anti_ej,
        AntibodyName.anti_oj,
    }
)
WELL_CHARACTERISED_ONCONEURAL = frozenset(
    {
        AntibodyName.anti_hu,
        AntibodyName.anti_yo,
        AntibodyName.anti_cv2,
        AntibodyName.anti_ri,
        AntibodyName.anti_ma2,
        AntibodyName.anti_amphiphysin,
    }
)


class AntibodyResult(StrEnum):
    positive = "positive"
    weak = "weak"
    negative = "negative"
    not_tested = "not_tested"


class Analyte(StrEnum):
    """Laboratory analytes, with their canonical unit in ``model.units``."""

    ck = "ck"
    aldolase = "aldolase"
    ldh = "ldh"
    ast = "ast"
    alt = "alt"
    esr = "esr"
    crp = "crp"
    wbc = "wbc"
    haemoglobin = "haemoglobin"
    platelets = "platelets"
    creatinine = "creatinine"
    myoglobin = "myoglobin"
    troponin = "troponin"
    ferritin = "ferritin"


MUSCLE_ENZYMES_EULAR = frozenset({Analyte.ck, Analyte.ldh, Analyte.ast, Analyte.alt})
MUSCLE_ENZYMES_BOHAN_PETER = frozenset(
    {Analyte.ck, Analyte.aldolase, Analyte.ldh, Analyte.ast, Analyte.alt}
)


class LabInterpretation(StrEnum):
    """How a report words a lab result it gives no number for ("CK was raised")."""

    high = "high"
    normal = "normal"
    low = "low"


class InvestigationKind(StrEnum):
    emg = "emg"
    mri = "mri"
    skin_biopsy = "skin_biopsy"
    muscle_biopsy = "muscle_biopsy"
    ct = "ct"
    pet_ct = "pet_ct"
    echocardiogram = "echocardiogram"


class InvestigationFinding(StrEnum):
    """Findings of an investigation (each present / absent / not assessed)."""

    # EMG
    myopathic = "myopathic"
    neuropathic = "neuropathic"
    # MRI
    muscle_oedema = "muscle_oedema"
    # Muscle biopsy: EULAR/ACR items 13-16
    endomysial_infiltrate = "endomysial_infiltrate"
    perimysial_perivascular_infiltrate = "perimysial_perivascular_infiltrate"
    perifascicular_atrophy = "perifascicular_atrophy"
    rimmed_vacuoles = "rimmed_vacuoles"
    # Muscle biopsy: Bohan & Peter C4 and ENMC
    necrosis = "necrosis"
    regeneration = "regeneration"
    phagocytosis = "phagocytosis"
    inflammatory_myopathy = "inflammatory_myopathy"
    perifascicular_mxa = "perifascicular_mxa"
    # Skin biopsy
    interface_dermatitis = "interface_dermatitis"
    consistent_with_dm = "consistent_with_dm"
    # Any
    normal = "normal"


class CancerStatus(StrEnum):
    active = "active"
    remission = "remission"
    unknown = "unknown"


class TreatmentKind(StrEnum):
    chemotherapy = "chemotherapy"
    immunotherapy = "immunotherapy"
    targeted_therapy = "targeted_therapy"
    radiotherapy = "radiotherapy"
    surgery = "surgery"
    glucocorticoid = "glucocorticoid"
    immunosuppressant = "immunosuppressant"
    ivig = "ivig"
    topical = "topical"
    antibiotic = "antibiotic"
    other = "other"


class RecistResponse(StrEnum):
    """RECIST 1.1 response codes (spec Appendix A)."""

    CR = "CR"
    PR = "PR"
    SD = "SD"
    PD = "PD"
    NE = "NE"
    non_CR_non_PD = "non_CR_non_PD"


class LesionKind(StrEnum):
    target = "target"
    non_target = "non_target"
    new = "new"


class LesionAssessment(StrEnum):
    """Assessment of a non-target lesion (present / absent / unequivocal progression) or of a
    new lesion (present / equivocal)."""

    present = "present"
    absent = "absent"
    unequivocal_progression = "unequivocal_progression"
    equivocal = "equivocal"
