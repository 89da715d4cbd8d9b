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
from dataclasses import dataclass
from functools import cache

from heliotrope.model.vocabulary import RecistResponse
from heliotrope.nlp.extract.base import (
    CancerMention,
    Caseless,
    Mention,
    clause_bounds,
    contains_any,
    lowered,
)
from heliotrope.nlp.extract.lexicon import Matcher, lexicon, term_table

__all__ = ["RESPONSE_WORDS", "ResponseMention", "extract", "extract_responses"]

_GRADE = re.compile(r"\bgrade\s+(?P<g>[1-4]|I{1,3}V?|high|low|intermediate)\b", re.IGNORECASE)
_STAGE = re.compile(r"\bstage\s+(?P<s>(?:[0IV]{1,4}|[1-4])[ABC]?\d?)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:in|since|during)\s+(?:\w+\s+)?(?P<y>(?:19|20)\d{2})\b")
_RELATIVE = Caseless(
    r"\b(?:mother|father|grandmother|grandfather|grandparent|sister|brother|sibling|aunt|"
    r"uncle|cousin|son|daughter|niece|nephew|relative|family\s+history|maternal|paternal)\b"
)
_NEGATED_GENERIC = re.compile(
    r"\b(?:negative\s+for|no\s+(?:evidence|sign|signs)\s+of|without|ruled\s+out|excluded|"
    r"no)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


class _Words:
    """A lexicon word list as one regex, searched only when the lower-cased text holds the
    longest word of one of its forms (a fast substring test)."""

    def __init__(self, forms: list[str]) -> None:
        ordered = sorted(forms, key=len, reverse=True)
        self.regex = Caseless(
            r"(?<![\w])(?:"
            + "|".join(r"[-\s]?".join(map(re.escape, f.lower().split())) for f in ordered)
            + r")(?![\w])"
        )
        self.required = tuple({max(f.lower().split(), key=len) for f in forms})

    def present(self, low: str) -> bool:
        return contains_any(low, self.required)

    def search(self, text: str, low: str, pos: int = 0, endpos: int | None = None) -> bool:
        """Is a form in ``text`` (the sentence or a clause of it; ``low``: the sentence in
        lower case, which the caller has checked with :meth:`present`)?"""
        own = low if len(low) == len(text) else text.lower()  # a clause is shorter
        return self.regex.search(text, own, pos, endpos) is not None


@cache
def _matchers() -> tuple[Matcher[str], Matcher[str]]:
    data = lexicon()["cancer"]
    terms, _ = term_table(data["histologies"])
    sites, _ = term_table(data["sites"])
    return Matcher(terms), Matcher(sites, plural=False)


_ABBREVIATION_OPENS = re.compile(r"\s*\(\s*")
_CLAUSE_WORDS = ("metastatic", "primary_unknown", "history", "remission")


@cache
def _generic() -> frozenset[str]:
    return frozenset(lexicon()["cancer"]["generic_histologies"])


@cache
def _words(key: str) -> _Words:
    return _Words(lexicon()["cancer"][key])


def extract(text: str) -> list[CancerMention]:
    """Cancers named in ``text`` (the patient's own, subject to ConText)."""
    histologies, sites = _matchers()
    hits = histologies.find(text)
    if not hits:
        return []
    generic = _generic()
    low = lowered(text)
    not_cancer = _words("not_cancer_contexts")
    blocked = (
        [m.span() for m in not_cancer.regex.finditer(text, low)] if not_cancer.present(low) else []
    )
    out: list[CancerMention] = []
    said: dict[str, bool] = {}
    previous_end = -1
    for hit in hits:
        if (
            out
            and out[-1].histology == hit.value
            and _ABBREVIATION_OPENS.fullmatch(text, previous_end, hit.start)
        ):
            continue  # "uterine leiomyosarcoma (LMS)"
        previous_end = hit.end
        if any(a < hit.end and hit.start < b for a, b in blocked):
            continue
        if text[max(0, hit.start - 5) : hit.start].lower().rstrip("- ").endswith("anti"):
            continue
        lo, hi = clause_bounds(text, hit.start, hit.end)
        if _RELATIVE.search(text, low, lo, hit.start):
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
        if not said:  # which word lists the sentence can hold, looked at once
            said.update((key, _words(key).present(low)) for key in _CLAUSE_WORDS)
        grade = _GRADE.search(text, max(lo, hit.start - 20), hit.start) if "grade" in low else None
        stage = (
            _STAGE.search(text, max(lo, hit.start - 30), min(hi, hit.end + 30))
            if "stage" in low
            else None
        )
        years = (
            list(_YEAR.finditer(text, max(lo, hit.start - 40), min(hi, hit.end + 40)))
            if "19" in text or "20" in text
            else []
        )
        year = min(years, key=lambda y: abs(y.start() - hit.start)) if years else None
        out.append(
            CancerMention(
                start=hit.start,
                end=hit.end,
                extractor="cancer.lexicon",
                histology=hit.value if hit.value not in generic else "cancer",
                site=site,
                metastatic=True
                if said["metastatic"] and _words("metastatic").search(clause, low)
                else None,
                primary_unknown=said["primary_unknown"]
                and _words("primary_unknown").search(clause, low),
                grade=grade.group("g") if grade else None,
                stage=stage.group("s").upper() if stage else None,
                history=said["history"]
                and _words("history").search(text, low, max(lo, hit.start - 30), hit.start),
                remission=said["remission"] and _words("remission").search(clause, low),
                year=year.group("y") if year else None,
            )
        )
    return out


# -- reported tumour responses -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseMention(Mention):
    """A tumour response reported in words ("overall stable metastatic disease by RECIST 1.1",
    "multifocal progression", "partial remission", "new liver metastases"): the report's
    verdict, kept as *reported*, never one heliotrope computed. ``response`` is None for "no
    evidence of progression" said alone (not progression; the category is not given)."""

    response: RecistResponse | None
    modality: str | None = None
    words: str = ""


_OBJECT = (
    r"(?:(?:the|her|his|their)\s+)?(?:(?:known|metastatic|primary|underlying)\s+)?"
    r"(?:disease|cancer|tumou?rs?|metastas[ie]s|malignancy|lesions?|\w*sarcoma|\w*carcinoma|"
    r"lymphoma|melanoma|nodules?|deposits?|lymphadenopathy)"
)
_RESPONSES: tuple[tuple[RecistResponse, Caseless], ...] = (
    (
        RecistResponse.PD,
        Caseless(
            r"\b(?:progressive\s+(?:metastatic\s+)?disease|(?:disease|tumou?r|cancer|metastatic)\s+"
            r"progression|progression\s+of\s+" + _OBJECT + r"|(?:multifocal|radiological|"
            r"radiologic|local|locoregional|distant|metastatic|nodal|widespread|further|"
            r"systemic|hepatic|pulmonary)\s+progression|(?:disease|cancer|tumou?rs?|it|"
            r"metastases|lesions?|\w*sarcoma|\w*carcinoma|lymphoma|melanoma|malignancy)\s+"
            r"(?:had\s+|has\s+)?progressed|new\s+(?:\w+\s+){0,3}?"
            r"(?:metastas[ie]s|metastatic\s+(?:deposits|lesions|disease)|lesions|deposits|"
            r"nodules))\b"
        ),
    ),
    (
        RecistResponse.CR,
        Caseless(
            r"\b(?:complete\s+(?:radiological\s+|metabolic\s+)?(?:response|remission)|"
            r"complete\s+resolution\s+of\s+" + _OBJECT + r")\b"
        ),
    ),
    (
        RecistResponse.PR,
        Caseless(
            r"\b(?:partial\s+(?:radiological\s+|metabolic\s+)?(?:response|remission|"
            r"regression))\b"
        ),
    ),
    (
        RecistResponse.SD,
        Caseless(
            r"\b(?:stable\s+(?:\w+\s+){0,2}?disease|(?:disease|tumou?r|cancer|metastases|"
            r"lesions?)\s+(?:was\s+|were\s+|remained\s+|remains\s+)?(?:radiologically\s+)?stable|"
            r"disease\s+stabili[sz]ation)\b"
        ),
    ),
)
#: "progression" with no object: read only where the sentence is about imaging of the cancer.
_BARE_PROGRESSION = Caseless(
    r"\b(?:showed|revealed|demonstrated|confirmed|with|of|evidence\s+of)\s+(?:\w+\s+){0,2}?"
    r"progression\b(?!\s+of\s+(?:her\s+|his\s+|the\s+)?(?:weakness|rash|myositis|"
    r"dermatomyositis|symptoms|skin|muscle))"
)
_MYOSITIS_OBJECT = Caseless(
    r"\b(?:progressi(?:ve|on\s+of)|worsening\s+of|improvement\s+(?:in|of))\s+(?:(?:her|his|the)\s+)?"
    r"(?:proximal\s+)?(?:weakness|rash|myositis|dermatomyositis|symptoms|skin|muscle|dysphagia)"
)
_TUMOUR_CONTEXT = Caseless(
    r"\b(?:ct|pet|pet-ct|mri|imaging|scan|scans|restaging|re-?staging|re-?evaluation|"
    r"re-?assessment|recist|radiolog\w*|metasta\w*|tumou?r|cancer|\w*sarcoma|\w*carcinoma|"
    r"lymphoma|melanoma|malignan\w*|lesions?|nodules?|deposits?|disease|cycles?|chemo\w*|"
    r"oncolog\w*)\b"
)
_NEGATED = Caseless(r"\b(?:no|without|not|negative\s+for|free\s+of|nor)\s+(?:\w+\s+){0,3}?$")
_MODALITY = Caseless(
    r"\b(?P<m>pet[-/\s]?ct|ct|pet|mri|ultrasound|x-?ray|chest\s+radiograph|bone\s+scan)\b"
)
_RESPONSE_WORDS = ("progress", "stabl", "stabili", "partial", "complete", "new ")
#: Lower-case words one of which every sentence :func:`extract_responses` reads holds.
RESPONSE_WORDS = _RESPONSE_WORDS
#: Words each verdict's phrases need (any of one tuple): a cheap test before its regex.
_NEEDS: dict[RecistResponse, tuple[tuple[str, ...], ...]] = {
    RecistResponse.PD: (("progress",), ("metasta", "lesion", "nodul", "deposit")),
    RecistResponse.CR: (("complete",),),
    RecistResponse.PR: (("partial",),),
    RecistResponse.SD: (("stabl", "stabili"),),
}


def extract_responses(text: str) -> list[ResponseMention]:
    """Tumour responses reported in ``text``: at most one per sentence (the first said), and
    only where the sentence is about imaging or the cancer, not the myositis ("progressive
    weakness", "improvement in her rash" are not tumour responses)."""
    low = lowered(text)
    if not contains_any(low, _RESPONSE_WORDS):
        return []
    said = [
        (response, regex)
        for response, regex in _RESPONSES
        if any(contains_any(low, clause) for clause in _NEEDS[response])
    ]
    if not said or not _TUMOUR_CONTEXT.search(text, low):
        return []
    found: list[tuple[int, int, RecistResponse]] = []
    for response, regex in said:
        for m in regex.finditer(text, low):
            found.append((m.start(), m.end(), response))
    if not found and "progression" in low:
        for m in _BARE_PROGRESSION.finditer(text, low):
            if _imaging_or_cancer(text, low):
                found.append((m.start(), m.end(), RecistResponse.PD))
    blocked = [m.span() for m in _MYOSITIS_OBJECT.finditer(text, low)]
    found = [f for f in found if not any(a <= f[0] < b for a, b in blocked)]
    if not found:
        return []
    start, end, response = min(found)
    verdict: RecistResponse | None = response
    if _NEGATED.search(text, low, max(0, start - 40), start):
        if response is not RecistResponse.PD:
            return []  # "not a partial response" says nothing of what it was
        verdict = None  # "no evidence of progression": not PD, category not given
    modality = _MODALITY.search(text, low)
    clause = " ".join(text.split())
    return [
        ResponseMention(
            start=start,
            end=end,
            extractor="cancer.response",
            response=verdict,
            modality=modality.group("m").upper().replace(" ", "-") if modality else None,
            words=clause[:200],
        )
    ]


_IMAGING_OR_CANCER = Caseless(
    r"\b(?:ct|pet|pet-ct|mri|imaging|scan|scans|restaging|re-?staging|re-?evaluation|recist|"
    r"metasta\w*|tumou?r|\w*sarcoma|\w*carcinoma|lymphoma|melanoma|malignan\w*)\b"
)


def _imaging_or_cancer(text: str, low: str) -> bool:
    return _IMAGING_OR_CANCER.search(text, low) is not None
