"""Show how the plain-text reader labelled each line: zone, role, and the roles' scores.

    python tools/explain_read.py release.txt
"""

from __future__ import annotations

import sys

from toolkit.read.cues import score_lines
from toolkit.read.layout import prepare
from toolkit.read.source import read_source
from toolkit.read.zones import decode


def main(path: str) -> None:
    prepared = prepare(read_source(path).text)
    lines = prepared.lines
    for repair in prepared.repairs:
        print('repair:', repair)
    scores = score_lines(lines)
    for item, score in zip(decode(lines, scores), scores):
        top = sorted(((value, role.value) for role, value in score.items() if value), reverse=True)[:3]
        hints = " ".join(f"{role}={value:g}" for value, role in top)
        print(f"{item.line.block:3} {item.zone.value:11} {item.role.value:17} {item.line.text[:70]!r:74} {hints}")


if __name__ == "__main__":
    main(sys.argv[1])
