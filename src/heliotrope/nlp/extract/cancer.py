"""Cancers: histology, site, metastatic spread, unknown primary, grade, stage and timing words.

A generic word ("cancer", "malignancy", "tumour") counts only with a site ("prostate
cancer"); alone it is too vague to be a diagnosis. Words that name cancer without being one
("tumour markers", "cancer screening", "anti-cancer therapy", "search for malignancy",
"paraneoplastic") are not cancers. A relative's cancer ("a maternal grandmother had
endometrial cancer") is never the patient's: besides ConText's family flag, a clause whose
subject is a relative is skipped here. "History of" marks a past cancer (status unknown);
remission words mark remission.
"""

from __future__ import annotations

import re
from functools import cache

from heliotrope.nlp.extract.base import CancerMention, clause_bounds
from heliotrope.nlp.extract.lexicon import Matcher, lexicon, term_table

__all__ = ["extract"]

_GRADE = re.compile(r"\bgrade\s+(?P<g>[1-4]|I{1,3}V?|high|low|intermediate)\b", re.IGNORECASE)
_STAGE = re.compile(r"\bstage\s+(?P<s>(?:[0IV]{1,4}|[1-4])[ABC]?\d?)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:in|since|during)\s+(?:\w+\s+)?(?P<y>(?:19|20)\d{2})\b")
_RELATIVE = re.compile(
    r"\b(?:mother|father|grandmother|grandfather|grandparent|sister|brother|sibling|aunt|"
    r"uncle|cousin|son|daughter|niece|nephew|relative|family\s+history|maternal|paternal)\b",
    re.IGNORECASE,
)
_NEGATED_GENERIC = re.compile(
    r"\b(?:negative\s+for|no\s+(?:evidence|sign|signs)\s+of|without|ruled\s+out|excluded|"
    r"no)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


@cache
def _matchers() -> tuple[Matcher[str], Matcher[str], re.Pattern[str], re.Pattern[str]]:
    data = lexicon()["cancer"]
    terms, _ = term_table(data["histologies"])
    sites, _ = term_table(data["sites"])

    def words(key: str) -> re.Pattern[str]:
        forms = sorted(data[key], key=len, reverse=True)
        return re.compile(
            r"(?<![\w])(?:"
            + "|".join(r"[-\s]?".join(map(re.escape, f.split())) for f in forms)
            + r")(?![\w])",
            re.IGNORECASE,
        )

    return (
        Matcher(terms),
        Matcher(sites, plural=False),
        words("metastatic"),
        words("primary_unknown"),
    )


@cache
def _words(key: str) -> re.Pattern[str]:
    forms = sorted(lexicon()["cancer"][key], key=len, reverse=True)
    return re.compile(
        r"(?<![\w])(?:"
        + "|".join(r"[-\s]?".join(map(re.escape, f.split())) for f in forms)
        + r")(?![\w])",
        re.IGNORECASE,
    )


def extract(text: str) -> list[CancerMention]:
    """Cancers named in ``text`` (the patient's own, subject to ConText)."""
    histologies, sites, metastatic, unknown_primary = _matchers()
    generic = set(lexicon()["cancer"]["generic_histologies"])
    not_cancer = _words("not_cancer_contexts")
    blocked = [(m.start(), m.end()) for m in not_cancer.finditer(text)]
    out: list[CancerMention] = []
    previous_end = -1
    for hit in histologies.find(text):
        if (
            out
            and out[-1].histology == hit.value
            and re.fullmatch(r"\s*\(\s*", text[previous_end : hit.start])
        ):
            continue  # "uterine leiomyosarcoma (LMS)"
        previous_end = hit.end
        if any(a < hit.end and hit.start < b for a, b in blocked):
            continue
        if text[max(0, hit.start - 5) : hit.start].lower().rstrip("- ").endswith("anti"):
            continue
        lo, hi = clause_bounds(text, hit.start, hit.end)
        if _RELATIVE.search(text, lo, hit.start):
            continue
        near = [s for s in sites.find(text[max(lo, hit.start - 45) : min(hi, hit.end + 45)])]
        offset = max(lo, hit.start - 45)
        site = None
        if near:
            best = min(near, key=lambda s: abs((s.start + offset) - hit.start))
            site = best.value
        if hit.value in generic and (site is None or _NEGATED_GENERIC.search(text[lo : hit.start])):
            continue
        clause = text[lo:hi]
        grade = _GRADE.search(text, max(lo, hit.start - 20), hit.start)
        stage = _STAGE.search(text, max(lo, hit.start - 30), min(hi, hit.end + 30))
        years = list(_YEAR.finditer(text, max(lo, hit.start - 40), min(hi, hit.end + 40)))
        year = min(years, key=lambda y: abs(y.start() - hit.start)) if years else None
        out.append(
            CancerMention(
                start=hit.start,
                end=hit.end,
                extractor="cancer.lexicon",
                histology=hit.value if hit.value not in generic else "cancer",
                site=site,
                metastatic=True if metastatic.search(clause) else None,
                primary_unknown=bool(unknown_primary.search(clause)),
                grade=grade.group("g") if grade else None,
                stage=stage.group("s").upper() if stage else None,
                history=bool(_words("history").search(text, max(lo, hit.start - 30), hit.start)),
                remission=bool(_words("remission").search(clause)),
                year=year.group("y") if year else None,
            )
        )
    return out
