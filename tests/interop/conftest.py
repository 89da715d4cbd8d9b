"""Fixtures for the FHIR and CDS Hooks tests: examples, HL7's R4 examples (npm
``hl7.fhir.r4.examples``, CC0), the Synthea bundles in fhiry's sdist, and FHIR.js under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HL7_EXAMPLES = ROOT / "node_modules" / "hl7.fhir.r4.examples"
FHIR_JS = ROOT / "node_modules" / "fhir"
FHIRY_SDIST = ROOT / ".cache" / "test-data" / "fhiry-5.2.2.tar.gz"
SYNTHEA_BUNDLES = ("afhir.json", "bfhir.json", "cfhir.json")

_VALIDATE_JS = """
const Fhir = require(process.argv[1]).Fhir;
const fhir = new Fhir();
const resources = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = resources.map(r => {
  const result = fhir.validate(r, {});
  return result.messages.filter(m => m.severity === 'error')
    .map(m => r.resourceType + ' ' + m.location + ': ' + m.message);
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="session")
def hl7_examples() -> Path:
    if not (HL7_EXAMPLES / "Patient-example.json").is_file():
        pytest.skip("node_modules/hl7.fhir.r4.examples is missing: run 'make setup' (npm)")
    return HL7_EXAMPLES


@pytest.fixture(scope="session")
def synthea_bundles() -> dict[str, str]:
    """The Synthea R4 bundles of fhiry 5.2.2's source distribution (``make test-data``)."""
    if not FHIRY_SDIST.is_file():
        pytest.skip(f"{FHIRY_SDIST.relative_to(ROOT)} is missing: run 'make test-data'")
    out = {}
    with tarfile.open(FHIRY_SDIST) as archive:
        for member in archive.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if "/tests/resources/" in member.name and member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                out[name] = handle.read().decode("utf-8")
    return out


@pytest.fixture(scope="session")
def fhir_validate() -> Callable[[list[dict[str, Any]]], list[list[str]]]:
    """Validate resources with FHIR.js (npm ``fhir``) under Node: errors per resource."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the FHIR.js validator needs Node.js")
    if not (FHIR_JS / "index.js").is_file():
        pytest.skip("node_modules/fhir is missing: run 'make setup' (npm)")

    def validate(resources: list[dict[str, Any]]) -> list[list[str]]:
        done = subprocess.run(
            [node, "-e", _VALIDATE_JS, "--", str(FHIR_JS)],
            input=json.dumps(resources),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        result: list[list[str]] = json.loads(done.stdout)
        return result

    return validate
