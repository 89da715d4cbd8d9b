"""Shared fixtures. Tests that read ``../shared/`` run in CI and skip in a stranger's clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "clinical-spec.md").is_file():
        pytest.skip(
            "../shared/ (the project's shared reference texts) is not beside this checkout; "
            "these tests run in CI"
        )
    return SHARED


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


# Hypothesis: no wall-clock deadlines (performance is measured in benchmarks/, not in tests).
from hypothesis import settings  # noqa: E402

settings.register_profile("heliotrope", deadline=None, print_blob=True)
settings.load_profile("heliotrope")
