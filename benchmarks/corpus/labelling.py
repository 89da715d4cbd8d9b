"""Gold labels of the project corpora (``sealed/``, ``sealed2/``) written as hand codes.

Each case is a string of item codes (P present, A absent, U unknown, X ambiguous) for the 16
EULAR/ACR 2017 items (Lundberg et al., Ann Rheum Dis 2017;76:1955) and the 5 Bohan & Peter 1975
criteria, in the order of ``EU`` and ``BP``; the expected categories are computed from them by
the published rules (unknown and ambiguous scored as not met). Used only by the corpora's
``make_labels.py`` scripts, which write ``labels.json`` in the format of ``../shared/corpus``.
"""

import json
from pathlib import Path

EU = [
    "age_onset_18_to_40",
    "age_onset_40_plus",
    "weakness_proximal_upper",
    "weakness_proximal_lower",
    "neck_flexors_weaker_than_extensors",
    "legs_proximal_weaker_than_distal",
    "heliotrope_rash",
    "gottron_papules",
    "gottron_sign",
    "dysphagia_or_oesophageal_dysmotility",
    "anti_jo1",
    "elevated_muscle_enzymes",
    "biopsy_endomysial_infiltrate",
    "biopsy_perimysial_perivascular_infiltrate",
    "biopsy_perifascicular_atrophy",
    "biopsy_rimmed_vacuoles",
]
W_NO = [1.3, 2.1, 0.7, 0.8, 1.9, 0.9, 3.1, 2.1, 3.3, 0.7, 3.9, 1.3]
W_BX = [1.5, 2.2, 0.7, 0.5, 1.6, 1.2, 3.2, 2.7, 3.7, 0.6, 3.8, 1.4, 1.7, 1.2, 1.9, 3.1]
BP = [
    "proximal_weakness",
    "elevated_muscle_enzymes",
    "myopathic_emg",
    "muscle_biopsy_myositis",
    "dm_rash",
]
S = {"P": "present", "A": "absent", "U": "unknown", "X": "ambiguous"}


def eular(items, biopsy, onset):
    w = W_BX if biopsy else W_NO
    s = round(sum(wi for wi, code in zip(w, items, strict=False) if code == "P"), 1)
    cuts = (6.5, 6.7, 8.7) if biopsy else (5.3, 5.5, 7.5)
    cat = (
        "not_iim"
        if s < cuts[0]
        else "possible"
        if s < cuts[1]
        else "probable"
        if s < cuts[2]
        else "definite"
    )
    sub = None
    if cat in ("probable", "definite"):
        skin = any(items[i] == "P" for i in (6, 7, 8))
        weak = items[2] == "P" or items[3] == "P"
        if onset < 18:
            sub = "JDM" if skin else "juvenile_non_jdm"
        elif skin:
            sub = "DM" if weak else "ADM"
        elif biopsy and items[15] == "P":
            sub = "IBM"
        else:
            sub = "PM"
    return {"category": cat, "subgroup": sub, "score": s, "biopsy_path": biopsy}


def bohan(items):
    m = sum(1 for c in items[:4] if c == "P")
    if items[4] == "P":
        cat = {0: "not_met", 1: "possible", 2: "probable"}.get(m, "definite")
        return {"category": cat, "subtype": None if cat == "not_met" else "DM"}
    cat = {4: "definite", 3: "probable", 2: "possible"}.get(m, "not_met")
    return {"category": cat, "subtype": None if cat == "not_met" else "PM"}


def write_labels(folder: Path, cases: dict) -> None:
    """Write ``folder/labels.json`` from hand codes:
    id -> (EULAR codes, B&P codes, biopsy performed, onset age, sex, graus, cam,
    score categories, diagnosis, notes)."""
    out = []
    for cid, (eu, bp, bx, onset, sex, graus, cam, scored, dx, notes) in cases.items():
        assert len(eu) == 16 and len(bp) == 5, cid
        assert folder.joinpath(cid + ".txt").exists(), cid
        eu_items = {k: S[c] for k, c in zip(EU, eu, strict=True)}
        if not bx:
            for k in EU[12:]:
                assert eu_items[k] == "unknown", (cid, k)
        expected = {}
        if scored:
            expected["bohan_peter_1975"] = bohan(bp)
            expected["eular_acr_2017"] = eular(eu, bx, onset)
        if graus:
            expected["graus_pns_2004"] = {"category": graus}
        expected["cancer_associated_myositis"] = {"category": cam}
        out.append(
            {
                "id": cid,
                "items": {
                    "eular_acr_2017": eu_items,
                    "bohan_peter_1975": {k: S[c] for k, c in zip(BP, bp, strict=True)},
                },
                "muscle_biopsy_performed": bx,
                "age_at_onset_years": onset,
                "sex": sex,
                "expected": expected,
                "authors_diagnosis": dx,
                "notes": notes,
            }
        )
    folder.joinpath("labels.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    for o in out:
        e = o["expected"]
        print(o["id"][:34].ljust(34), e.get("bohan_peter_1975"), e.get("eular_acr_2017"))
