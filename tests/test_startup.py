"""`presskit --help` starts at once: the heavy libraries are imported by the commands that use them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("weasyprint", "ctranslate2", "sentencepiece", "pydantic", "markdown_it", "docx", "trafilatura", "pdfplumber",
         "rich.markdown", "rich.syntax", "toolkit.read", "toolkit.model", "babel.numbers", "fastapi")


def test_help_imports_none_of_the_heavy_libraries() -> None:
    code = ("import sys\nfrom toolkit.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print('heavy:' + ','.join(name for name in {HEAVY!r} if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "Usage" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "heavy:"


def test_reading_plain_text_loads_no_document_library() -> None:
    code = ("import sys, warnings\nwarnings.simplefilter('ignore')\nfrom toolkit.read import read_release\n"
            "read_release('examples/wasserstoff-netz.txt')\n"
            "print(','.join(name for name in ('docx', 'odf', 'trafilatura', 'pdfplumber', 'weasyprint') if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == ""
