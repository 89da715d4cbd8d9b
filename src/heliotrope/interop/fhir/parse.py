"""FHIR R4 JSON → validated resources: a Bundle (transaction, batch, collection, searchset,
document), a single resource, or ndjson (one resource per line).

Resources of the types heliotrope reads are validated with the ``fhir.resources`` R4B models
(R4B reads R4 JSON; the package's default R5 models reject it). Errors name the resource
(``Observation/abc``) and the element, never the values in it.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from threading import Lock
from typing import Any

from pydantic import ValidationError

from heliotrope.errors import ErrorDetail
from heliotrope.interop.fhir.errors import FhirInputError, fhir_error

__all__ = ["MAX_ENTRIES", "READ_TYPES", "ParsedInput", "parse_fhir", "parse_fhir_text", "ref_of"]

#: Entries above this are refused before any resource is validated (a patient's whole
#: Synthea history is a few thousand entries).
MAX_ENTRIES = 50_000
#: Resource types the reader uses; every other type is counted and reported as not read.
READ_TYPES = frozenset(
    {
        "Patient",
        "Condition",
        "Observation",
        "Procedure",
        "DiagnosticReport",
        "MedicationStatement",
        "MedicationAdministration",
        "Medication",
        "Basic",
    }
)


@dataclass
class ParsedInput:
    """Resources in input order, the Bundle type (None for ndjson or a single resource), and
    each resource's ``fullUrl`` where the Bundle gave one."""

    resources: list[dict[str, Any]]
    bundle_type: str | None = None
    full_urls: dict[int, str] = field(default_factory=dict)


def ref_of(resource: dict[str, Any]) -> str:
    """``Type/id`` of a resource (``Type/#n`` when it has no id)."""
    return f"{resource.get('resourceType', '?')}/{resource.get('id', '#?')}"


@cache
def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _element(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith("function-") and "__root" not in part:
            out += f".{part}" if out else part
    return out


#: Digests of resources already found valid: a chart's resources come back unchanged on every
#: CDS Hooks call and every service, and are validated once per content (bounded LRU).
_VALID: OrderedDict[bytes, None] = OrderedDict()
_VALID_SIZE = 100_000
_VALID_LOCK = Lock()


def _digest(resource: dict[str, Any]) -> bytes:
    text = json.dumps(resource, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def validate_resource(resource: dict[str, Any], source: str | None = None) -> None:
    """Check one resource against its R4B model (FhirInputError naming the elements)."""
    resource_type = resource.get("resourceType")
    if resource_type not in READ_TYPES:
        return
    key = _digest(resource)
    with _VALID_LOCK:
        if key in _VALID:
            _VALID.move_to_end(key)
            return
    try:
        _model(resource_type).model_validate(resource)
    except ValidationError as exc:
        where = ref_of(resource)
        details = [
            ErrorDetail(f"{where}.{_element(e['loc'])}".rstrip("."), _safe_message(e))
            for e in exc.errors()[:10]
        ]
        raise FhirInputError(
            f"{where} is not a valid FHIR R4 {resource_type}.", details, source=source
        ) from None
    with _VALID_LOCK:
        _VALID[key] = None
        while len(_VALID) > _VALID_SIZE:
            _VALID.popitem(last=False)


def _safe_message(error: Any) -> str:
    """The validation message without the offending value (it may be patient data)."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "invalid"))
    if kind in {"extra_forbidden"}:
        return "element not defined in FHIR R4 for this resource"
    return message.split(" [type=")[0][:200]


def _check_resource(obj: Any, where: str, source: str | None) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise fhir_error("A FHIR resource must be a JSON object.", where, "not an object", source)
    if not isinstance(obj.get("resourceType"), str):
        raise fhir_error(
            "A FHIR resource must name its resourceType.", where, "no resourceType", source
        )
    if not _known_type(obj["resourceType"]):
        raise fhir_error(
            "A resource of a type FHIR R4 does not define.",
            f"{where}.resourceType",
            "not a FHIR R4 resource type",
            source,
        )
    return obj


@cache
def _known_type(resource_type: str) -> bool:
    try:
        _model(resource_type)
    except (ValueError, KeyError):
        return False
    return True


def parse_fhir(data: Any, source: str | None = None) -> ParsedInput:
    """Resources from parsed JSON: a Bundle, a single resource or a list of resources."""
    if isinstance(data, list):
        items = [_check_resource(r, f"[{i}]", source) for i, r in enumerate(data)]
        return _validated(ParsedInput(items), source)
    resource = _check_resource(data, "(top level)", source)
    if resource["resourceType"] != "Bundle":
        return _validated(ParsedInput([resource]), source)
    entries = resource.get("entry") or []
    if not isinstance(entries, list):
        raise fhir_error("Bundle.entry must be a list.", "Bundle.entry", "not a list", source)
    if len(entries) > MAX_ENTRIES:
        raise fhir_error(
            "The Bundle is too large to read.",
            "Bundle.entry",
            f"{len(entries)} entries exceed the limit of {MAX_ENTRIES}; split the record "
            "or send only this patient's resources",
            source,
        )
    out = ParsedInput([], bundle_type=resource.get("type"))
    for index, entry in enumerate(entries):
        where = f"Bundle.entry[{index}]"
        if not isinstance(entry, dict):
            raise fhir_error("A Bundle entry must be an object.", where, "not an object", source)
        if "resource" not in entry:
            if (entry.get("request") or {}).get("method") == "DELETE":
                continue
            raise fhir_error("A Bundle entry holds no resource.", where, "no resource", source)
        inner = _check_resource(entry["resource"], f"{where}.resource", source)
        if inner["resourceType"] == "Bundle":
            nested = parse_fhir(inner, source)
            out.resources.extend(nested.resources)
            continue
        if isinstance(entry.get("fullUrl"), str):
            out.full_urls[len(out.resources)] = entry["fullUrl"]
        out.resources.append(inner)
    return _validated(out, source)


def _validated(parsed: ParsedInput, source: str | None) -> ParsedInput:
    for resource in parsed.resources:
        validate_resource(resource, source)
    return parsed


def parse_fhir_text(text: str, source: str | None = None, *, ndjson: bool = False) -> ParsedInput:
    """Resources from JSON text, or from ndjson when ``ndjson`` (or when the text is not one
    JSON document but each non-empty line is)."""
    if not ndjson:
        try:
            return parse_fhir(json.loads(text), source)
        except json.JSONDecodeError as exc:
            lines = [line for line in text.splitlines() if line.strip()]
            if len(lines) < 2 or exc.msg != "Extra data":
                raise fhir_error(
                    "The FHIR input is not valid JSON.",
                    f"line {exc.lineno}, column {exc.colno}",
                    exc.msg,
                    source,
                ) from None
    resources: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise fhir_error(
                "An ndjson line is not valid JSON.", f"line {number}", exc.msg, source
            ) from None
        if len(resources) >= MAX_ENTRIES:
            raise fhir_error(
                "The ndjson file is too large to read.",
                f"line {number}",
                f"more than {MAX_ENTRIES} resources",
                source,
            )
        resources.append(_check_resource(obj, f"line {number}", source))
    return _validated(ParsedInput(resources), source)


__all__ += ["FhirInputError", "validate_resource"]
