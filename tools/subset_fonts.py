"""Subset the shipped Noto fonts into templates/fonts/ (TrueType).

The PDF must not depend on the fonts installed on the machine, so the
toolkit ships subsets of Noto Sans and Noto Sans Arabic (SIL OFL 1.1; Noto
has no Reserved Font Name, so subsets may keep the name). See
templates/fonts/README.md for the source package and version.

Usage (the source TTFs come from Debian's fonts-noto-core, e.g. extracted
with ``apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb /tmp/noto``)::

    python tools/subset_fonts.py /tmp/noto/usr/share/fonts/truetype/noto

Each font is run through ``fontTools.subset`` with the command line printed
by this script (the same as ``pyftsubset …``). The output is TrueType, not
WOFF2: WeasyPrint would decode WOFF2 in every process (0.6 s for the six
files); TrueType it uses as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

OUT = Path(__file__).resolve().parent.parent / "templates" / "fonts"

#: Latin (Basic, Latin-1, Extended-A, Romanian comma-below letters, Vietnamese),
#: combining marks, Greek, Cyrillic, general punctuation (incl. U+00A0,
#: U+2009, U+2011, U+202F), super/subscripts, currency (€ U+20AC), a few
#: letterlike and math signs, the dotted circle HarfBuzz shows for lone marks.
SANS_UNICODES = (
    "U+0000-00FF,U+0100-017F,U+0218-021B,U+0237,U+02BB-02BC,U+02C6-02C7,U+02C9,U+02D8-02DD,"
    "U+0300-036F,U+0370-03FF,U+0400-04FF,U+1E9E,U+1EA0-1EF9,"
    "U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-2122,U+2126,U+212E,"
    "U+2190-2193,U+2202,U+2206,U+220F,U+2211-2215,U+2219-221A,U+221E,U+222B,U+2248,U+2260,U+2264-2265,"
    "U+25CC,U+FEFF,U+FFFD"
)

#: The Arabic block, Arabic Supplement, presentation forms A and B, plus the
#: joiners/direction marks and punctuation the font carries (Latin is taken
#: from the Latin family).
ARABIC_UNICODES = (
    "U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,"
    "U+0020-0040,U+00A0,U+00AB,U+00BB,U+00D7,U+00F7,U+200B-200F,U+2010-2027,U+2066-2069,U+25CC"
)

#: OpenType layout features kept: pyftsubset's defaults (which include kern,
#: liga, clig, calt, ccmp, locl, mark, mkmk, rlig, init, medi, fina, isol,
#: rtlm, …) plus the numeric and case features CSS font-variant can ask for.
EXTRA_FEATURES = "lnum,onum,pnum,tnum,case,zero,ordn,sups,subs,dlig"

FONTS = {
    # source file: (output file, unicodes)
    "NotoSans-Regular.ttf": ("NotoSans-Regular.ttf", SANS_UNICODES),
    "NotoSans-Italic.ttf": ("NotoSans-Italic.ttf", SANS_UNICODES),
    "NotoSans-Bold.ttf": ("NotoSans-Bold.ttf", SANS_UNICODES),
    "NotoSans-BoldItalic.ttf": ("NotoSans-BoldItalic.ttf", SANS_UNICODES),
    "NotoSansArabic-Regular.ttf": ("NotoSansArabic-Regular.ttf", ARABIC_UNICODES),
    "NotoSansArabic-Bold.ttf": ("NotoSansArabic-Bold.ttf", ARABIC_UNICODES),
}


def arguments(source: Path, target: Path, unicodes: str) -> list[str]:
    return [
        str(source),
        f"--output-file={target}",
        f"--unicodes={unicodes}",
        f"--layout-features+={EXTRA_FEATURES}",
        # Keep every name record: the copyright and the OFL licence text (IDs 0, 13, 14).
        "--name-IDs=*",
        "--notdef-outline",
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source_dir = Path(argv[1])
    OUT.mkdir(parents=True, exist_ok=True)
    for source_name, (target_name, unicodes) in FONTS.items():
        args = arguments(source_dir / source_name, OUT / target_name, unicodes)
        print("pyftsubset " + " ".join(f"'{a}'" if "*" in a or "+" in a else a for a in args))
        subset.main(args)
        print(f"  -> {target_name}: {(OUT / target_name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
