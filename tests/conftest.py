from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("PRESSKIT_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "000_7620b5b5c1f52174.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed release is not available at {SEED} (it lives beside the repository in shared/seed/)")
    return SEED


# The Argos fixture packages (a tiny real CTranslate2 + SentencePiece model per pair),
# a private Argos home and a socket blocker, shared by the translation tests.
from argos_fixture import argos_home, installed_pairs, no_network  # noqa: E402, F401


def release_folders(out_dir: Path) -> list[Path]:
    """The release folders a run wrote under ``out_dir`` (not the run's hidden lock file)."""
    return sorted(path for path in out_dir.iterdir() if not path.name.startswith("."))
