"""Graus 2004 (PNS Euronetwork) diagnostic criteria for paraneoplastic neurological syndromes.

Graus F, Delattre JY, Antoine JC, et al. Recommended diagnostic criteria for paraneoplastic
neurological syndromes. J Neurol Neurosurg Psychiatry 2004;75:1135–1140
(doi 10.1136/jnnp.2003.034447). Spec §5.1.

Definite PNS (any one)
1. Classical syndrome and cancer within 5 years of the diagnosis of the syndrome.
2. Non-classical syndrome that resolves or markedly improves after cancer treatment without
   concomitant immunotherapy (syndrome not prone to spontaneous remission).
3. Non-classical syndrome with onconeural antibodies (well or partially characterised) and
   cancer within 5 years.
4. Any syndrome with well-characterised onconeural antibodies and no cancer.

Possible PNS (any one)
1. Classical syndrome, no onconeural antibodies, no cancer, high risk of an underlying tumour.
2. Any syndrome with partially characterised onconeural antibodies and no cancer.
3. Non-classical syndrome, no onconeural antibodies, cancer within 2 years.

Implementation choices (spec §5.1)
- **Dermatomyositis is a classical syndrome.** Read from the record: DM skin signs with muscle
  involvement (weakness, raised enzymes, myopathic EMG, MRI oedema or myositis on biopsy).
  Skin signs without muscle involvement (amyopathic DM) leave the item unknown. Option
  ``pns_syndrome`` names another syndrome of the lists below instead.
- **Cancer within N years** (issue 7, departure 3): |cancer diagnosis − syndrome diagnosis| ≤ N
  years (calendar, inclusive). The paper speaks of a cancer that *develops* within 5 years of
  the diagnosis of the neurological disorder, i.e. after it; **our reading** also accepts a
  cancer diagnosed up to N years *before* the syndrome (the usual practice, and the founding
  case report's), and says so in a caveat. A cancer diagnosed more than N years before is
  *unknown* (it may persist or recur; the paper does not say), never present because it is
  "active": its status is shown, and a cancer whose status is not recorded is of unknown
  status, not active. The branch that applied is the value ``cancer_branch``
  (``within_window_after``, ``within_window_before``, or ``active_at_syndrome_diagnosis`` when
  a cancer diagnosed within the window before the syndrome is recorded as active). The
  syndrome date is the myositis diagnosis, else its onset.
- **No cancer** means none recorded (Graus: none found at assessment).
- **High tumour risk** has no operational definition in Graus 2004: it is the user's call,
  option ``graus_high_tumour_risk``; otherwise unknown. A positive anti-TIF1γ or anti-NXP2 is
  named in the note (IMACS 2023 puts them among high-risk factors) but does not by itself make
  the item present (issue 7).
- Partially characterised antibodies (anti-Tr, anti-Zic4, anti-mGluR1...) and improvement after
  cancer treatment are not in the record: options ``graus_partially_characterised_antibody`` and
  ``graus_improved_after_cancer_treatment``; unknown without them.

Graus 2021 (PNS-Care) explicitly excludes inflammatory myopathies, so it does not apply to DM.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from heliotrope.criteria import readers_extra as rx
from heliotrope.errors import CriteriaError
from heliotrope.logic import (
    All,
    Any,
    Citation,
    Context,
    CriterionResult,
    Decide,
    Definition,
    Derived,
    Evidence,
    Item,
    ItemFinding,
    ItemResult,
    ItemSpec,
    ItemStatus,
    Not,
    Truth,
    evaluate,
)
from heliotrope.model.dates import DateRange
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import WELL_CHARACTERISED_ONCONEURAL, AntibodyName

__all__ = [
    "CATEGORIES",
    "CITATION",
    "CLASSICAL_SYNDROMES",
    "ID",
    "NON_CLASSICAL_SYNDROMES",
    "VERSION",
    "assess",
    "cancer_within",
    "definition",
]

ID = "graus_pns_2004"
VERSION = "paraneoplastic.graus_pns_2004.v1"
CITATION = Citation(
    authors="Graus F, Delattre JY, Antoine JC, et al.",
    title="Recommended diagnostic criteria for paraneoplastic neurological syndromes",
    journal="J Neurol Neurosurg Psychiatry",
    year=2004,
    volume_pages="75:1135–1140",
    doi="10.1136/jnnp.2003.034447",
)
CATEGORIES = ("not_met", "possible", "definite")

CLASSICAL_SYNDROMES: Mapping[str, str] = {
    "encephalomyelitis": "Encephalomyelitis",
    "limbic_encephalitis": "Limbic encephalitis",
    "subacute_cerebellar_degeneration": "Subacute cerebellar degeneration",
    "opsoclonus_myoclonus": "Opsoclonus–myoclonus",
    "subacute_sensory_neuronopathy": "Subacute sensory neuronopathy",
    "chronic_gastrointestinal_pseudo_obstruction": "Chronic gastrointestinal pseudo-obstruction",
    "lambert_eaton_myasthenic_syndrome": "Lambert–Eaton myasthenic syndrome",
    "dermatomyositis": "Dermatomyositis",
}
NON_CLASSICAL_SYNDROMES: Mapping[str, str] = {
    "brainstem_encephalitis": "Brainstem encephalitis",
    "optic_neuritis": "Optic neuritis",
    "cancer_associated_retinopathy": "Cancer-associated retinopathy",
    "melanoma_associated_retinopathy": "Melanoma-associated retinopathy",
    "stiff_person_syndrome": "Stiff-person syndrome",
    "necrotising_myelopathy": "Necrotising myelopathy",
    "motor_neuron_disease": "Motor neuron disease",
    "guillain_barre_syndrome": "Guillain–Barré syndrome",
    "sensorimotor_neuropathy": "Subacute or chronic sensorimotor neuropathy",
    "neuropathy_with_paraproteinaemia": "Neuropathy with plasma-cell dyscrasia or lymphoma",
    "vasculitic_neuropathy": "Vasculitis of nerve and muscle",
    "acute_pandysautonomia": "Acute pandysautonomia",
    "myasthenia_gravis": "Myasthenia gravis",
    "acquired_neuromyotonia": "Acquired neuromyotonia",
    "acute_necrotising_myopathy": "Acute necrotising myopathy",
}
WELL_CHARACTERISED = tuple(sorted(WELL_CHARACTERISED_ONCONEURAL, key=lambda a: a.value))
HIGH_RISK_DM_ANTIBODIES = (AntibodyName.anti_tif1g, AntibodyName.anti_nxp2)
DEFINITE_YEARS = 5
POSSIBLE_YEARS = 2
NOT_FOR_DM_2021 = (
    "Graus 2021 (PNS-Care score) excludes inflammatory myopathies, dermatomyositis included: "
    "only the 2004 criteria apply to DM."
)

Reader = Callable[[PatientRecord, Context], ItemFinding]


# -- syndrome ------------------------------------------------------------------------------
def _named_syndrome(ctx: Context) -> str | None:
    name = ctx.option("pns_syndrome", None)
    if name is None:
        return None
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in CLASSICAL_SYNDROMES and key not in NON_CLASSICAL_SYNDROMES:
        known = ", ".join([*CLASSICAL_SYNDROMES, *NON_CLASSICAL_SYNDROMES])
        raise CriteriaError(f"pns_syndrome {name!r} is not a Graus 2004 syndrome; use: {known}.")
    return key


def _option_evidence(name: str, value: object) -> tuple[Evidence, ...]:
    return (Evidence(path=f"options.{name}", summary=f"{name} = {value}"),)


def _classical(record: PatientRecord, ctx: Context) -> ItemFinding:
    named = _named_syndrome(ctx)
    if named is not None:
        status = ItemStatus.present if named in CLASSICAL_SYNDROMES else ItemStatus.absent
        return ItemFinding(status, _option_evidence("pns_syndrome", named))
    skin = rx.hallmark_skin(record, include_unspecified=True)
    if skin.status is ItemStatus.absent:
        return ItemFinding(ItemStatus.absent, skin.evidence, "no DM skin signs")
    muscle = rx.muscle_involvement(record)
    evidence = skin.evidence + muscle.evidence
    if skin.status is ItemStatus.present and muscle.status is ItemStatus.present:
        return ItemFinding(ItemStatus.present, evidence, "dermatomyositis (classical syndrome)")
    if skin.status is ItemStatus.present and muscle.status is ItemStatus.absent:
        return ItemFinding(
            ItemStatus.unknown,
            evidence,
            "DM skin signs without muscle involvement: whether amyopathic DM counts as the "
            "classical syndrome is not stated (option pns_syndrome)",
        )
    return ItemFinding(ItemStatus.unknown, evidence, "DM skin signs or muscle involvement unknown")


def _non_classical(record: PatientRecord, ctx: Context) -> ItemFinding:
    named = _named_syndrome(ctx)
    if named is not None:
        status = ItemStatus.present if named in NON_CLASSICAL_SYNDROMES else ItemStatus.absent
        return ItemFinding(status, _option_evidence("pns_syndrome", named))
    return ItemFinding(
        ItemStatus.absent,
        (),
        "no non-classical neurological syndrome recorded (the record names none; option "
        "pns_syndrome)",
    )


def _flag_option(ctx: Context, name: str) -> bool | None:
    """A yes/no option: True, False or None (not given); anything else is an error (a string
    such as "false" must not be read as true)."""
    value = ctx.option(name, None)
    if value is None or isinstance(value, bool):
        return value
    raise CriteriaError(f"Option {name} must be true or false, not {value!r}.")


def _option_item(name: str, what: str) -> Reader:
    def read(_record: PatientRecord, ctx: Context) -> ItemFinding:
        value = _flag_option(ctx, name)
        if value is None:
            return ItemFinding(
                ItemStatus.unknown, (), f"{what} is not in the record (option {name})"
            )
        status = ItemStatus.present if value else ItemStatus.absent
        return ItemFinding(status, _option_evidence(name, value))

    return read


def _high_risk(record: PatientRecord, ctx: Context) -> ItemFinding:
    value = _flag_option(ctx, "graus_high_tumour_risk")
    if value is not None:
        status = ItemStatus.present if value else ItemStatus.absent
        return ItemFinding(status, _option_evidence("graus_high_tumour_risk", value))
    found = rx.antibody_panel(record, HIGH_RISK_DM_ANTIBODIES)
    note = "Graus 2004 does not define high tumour risk: say so with option graus_high_tumour_risk"
    if found.status is ItemStatus.present:
        note += (
            " (a DM antibody of high cancer risk in IMACS 2023 is positive; it does not by "
            "itself make the item present)"
        )
    return ItemFinding(ItemStatus.unknown, found.evidence, note)


# -- cancer timing -------------------------------------------------------------------------
def cancer_within(
    record: PatientRecord, years: int
) -> tuple[ItemFinding, str | None, tuple[int, int] | None]:
    """The cancer condition of Graus 2004 for ``years``: (finding, branch, interval in days)."""
    path, syndrome = rx.syndrome_date(record)
    if not record.cancers:
        return ItemFinding(ItemStatus.absent, (), "no cancer recorded"), None, None
    if syndrome is None:
        return (
            ItemFinding(ItemStatus.unknown, (), "myositis diagnosis and onset dates not recorded"),
            None,
            None,
        )
    anchor_ev = rx.date_evidence(path, "syndrome diagnosis", syndrome)
    rank = {ItemStatus.present: 0, ItemStatus.unknown: 1, ItemStatus.absent: 2}
    best: tuple[ItemStatus, str | None, str, rx.CancerTiming] | None = None
    for timing in rx.cancer_timings(record, syndrome):
        status, note = _timing_status(timing, syndrome, years)
        branch = None
        if status is ItemStatus.present:
            branch = _branch(timing, syndrome, timing.active_at(syndrome))
            note = branch
        if best is None or rank[status] < rank[best[0]]:
            best = (status, branch, note, timing)
    assert best is not None
    status, branch, note, timing = best
    finding = ItemFinding(status, (anchor_ev, timing.evidence), note)
    return finding, branch, timing.interval


def _timing_status(
    timing: rx.CancerTiming, syndrome: DateRange, years: int
) -> tuple[ItemStatus, str]:
    """One cancer against the window: diagnosed within ``years`` of the syndrome diagnosis,
    before or after it (the reading of spec §5.1), whatever its status now. A cancer diagnosed
    longer before is *unknown*: it did not develop within the window, yet it may have persisted
    or recurred, and Graus 2004 does not say whether that counts. Its status (active, in
    remission, or unrecorded) is shown, never assumed."""
    window = timing.within(syndrome, 12 * years)
    if window is Truth.TRUE:
        return ItemStatus.present, ""
    if window is Truth.UNKNOWN:
        return ItemStatus.unknown, "cancer date missing, or partial dates straddle the window"
    if timing.before(syndrome) is Truth.TRUE:
        return ItemStatus.unknown, (
            f"cancer diagnosed more than {years} years before the syndrome (status "
            f"{timing.cancer.status.value}): Graus 2004 asks for a cancer that develops within "
            f"{years} years; whether a persisting or recurring older cancer counts is not stated"
        )
    return ItemStatus.absent, f"no cancer within {years} years of the syndrome diagnosis"


def _branch(timing: rx.CancerTiming, syndrome: DateRange, active: Truth) -> str:
    """Which way the window was met: after the syndrome, before it, or before it with the
    cancer still active at the syndrome diagnosis (recorded as active, never assumed)."""
    before = timing.before(syndrome)
    if before is Truth.TRUE:
        return "active_at_syndrome_diagnosis" if active is Truth.TRUE else "within_window_before"
    if before is Truth.FALSE:
        return "within_window_after"
    return "within_window"


def _cancer_item(years: int) -> Reader:
    return lambda rec, _c: cancer_within(rec, years)[0]


def _no_cancer(record: PatientRecord, _ctx: Context) -> ItemFinding:
    if record.cancers:
        recorded = tuple(
            Evidence(path=f"cancers[{i}]", summary=c.histology, source=c.source)
            for i, c in enumerate(record.cancers)
        )
        return ItemFinding(ItemStatus.absent, recorded, "a cancer is recorded")
    return ItemFinding(
        ItemStatus.present, (), "no cancer recorded (Graus: no cancer found at assessment)"
    )


ITEMS: tuple[tuple[str, str, str, Reader], ...] = (
    (
        "classical_syndrome",
        "Classical syndrome",
        "one of the eight classical syndromes; dermatomyositis read from the record",
        _classical,
    ),
    (
        "non_classical_syndrome",
        "Non-classical syndrome",
        "a neurological syndrome of the non-classical list (option pns_syndrome)",
        _non_classical,
    ),
    (
        "well_characterised_antibody",
        "Well-characterised onconeural antibody",
        "anti-Hu, anti-Yo, anti-CV2/CRMP5, anti-Ri, anti-Ma2 or anti-amphiphysin positive",
        lambda rec, _c: rx.antibody_panel(rec, WELL_CHARACTERISED),
    ),
    (
        "partially_characterised_antibody",
        "Partially characterised onconeural antibody",
        "e.g. anti-Tr, anti-Zic4, anti-mGluR1 (option graus_partially_characterised_antibody)",
        _option_item(
            "graus_partially_characterised_antibody", "a partially characterised antibody"
        ),
    ),
    (
        "cancer_within_5_years",
        "Cancer within 5 years",
        "|cancer diagnosis − syndrome diagnosis| ≤ 5 years (before or after the syndrome)",
        _cancer_item(DEFINITE_YEARS),
    ),
    (
        "cancer_within_2_years",
        "Cancer within 2 years",
        "|cancer diagnosis − syndrome diagnosis| ≤ 2 years (before or after the syndrome)",
        _cancer_item(POSSIBLE_YEARS),
    ),
    ("no_cancer", "No cancer", "no cancer found (none recorded)", _no_cancer),
    (
        "high_tumour_risk",
        "High risk of an underlying tumour",
        "the user's judgement (option graus_high_tumour_risk); Graus 2004 gives no definition",
        _high_risk,
    ),
    (
        "improved_after_cancer_treatment",
        "Improves after cancer treatment alone",
        "resolves or markedly improves after cancer treatment without immunotherapy "
        "(option graus_improved_after_cancer_treatment)",
        _option_item("graus_improved_after_cancer_treatment", "improvement after cancer treatment"),
    ),
)

RULE = (
    "definite: (1) classical + cancer ≤ 5 y; (2) non-classical + improves after cancer "
    "treatment; (3) non-classical + onconeural antibody + cancer ≤ 5 y; (4) any syndrome + "
    "well-characterised antibody + no cancer. possible: (1) classical + no onconeural antibody "
    "+ no cancer + high tumour risk; (2) any syndrome + partially characterised antibody + no "
    "cancer; (3) non-classical + no onconeural antibody + cancer ≤ 2 y. Cancer ≤ N y: "
    "|Δ| ≤ N years, before or after the syndrome (an older cancer is unknown)."
)


@cache
def definition() -> Definition:
    """Graus 2004 PNS criteria as a decision list (definite, then possible)."""
    classical, non_classical = Item("classical_syndrome"), Item("non_classical_syndrome")
    well, partial = Item("well_characterised_antibody"), Item("partially_characterised_antibody")
    no_cancer = Item("no_cancer")
    no_antibody = All(Not(well), Not(partial))
    definite = Any(
        All(classical, Item("cancer_within_5_years")),
        All(non_classical, Item("improved_after_cancer_treatment")),
        All(non_classical, Any(well, partial), Item("cancer_within_5_years")),
        All(Any(classical, non_classical), well, no_cancer),
    )
    possible = Any(
        All(classical, no_antibody, no_cancer, Item("high_tumour_risk")),
        All(Any(classical, non_classical), partial, no_cancer),
        All(non_classical, no_antibody, Item("cancer_within_2_years")),
    )
    return Definition(
        id=ID,
        version=VERSION,
        title="Graus 2004 paraneoplastic neurological syndrome criteria (PNS Euronetwork)",
        citation=CITATION,
        summary="Definite or possible paraneoplastic syndrome from the syndrome (classical or "
        "not), onconeural antibodies and the timing of cancer.",
        items=tuple(ItemSpec(k, label, text, read) for k, label, text, read in ITEMS),
        outcome=Decide(
            (("definite", definite), ("possible", possible)), otherwise="not_met", label="category"
        ),
        categories=CATEGORIES,
        caveats=(NOT_FOR_DM_2021,),
        rule=RULE,
        derive=_derive,
    )


def _derive(record: PatientRecord, _ctx: Context, found: Mapping[str, ItemResult]) -> Derived:
    path, syndrome = rx.syndrome_date(record)
    _finding, branch, interval = cancer_within(record, DEFINITE_YEARS)
    caveats: list[str] = []
    if branch in ("active_at_syndrome_diagnosis", "within_window_before"):
        caveats.append(
            "The cancer was diagnosed before the syndrome: Graus 2004 words the 5-year window "
            "for a cancer developing after the neurological diagnosis; a cancer present at or "
            "before it is accepted here, as is usual (spec §5.1)."
        )
    return Derived(
        values={
            "cancer_branch": branch,
            "syndrome_date": str(syndrome) if syndrome else None,
            "syndrome_date_from": path if syndrome else None,
            "cancer_interval_days": list(interval) if interval else None,
        },
        caveats=tuple(caveats),
    )


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by the Graus 2004 PNS criteria."""
    return evaluate(definition(), record, context)
