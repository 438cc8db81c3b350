"""Write N variations of the example releases into a folder, to try ``presskit batch`` on.

    python examples/make_batch.py 30 inbox/
    presskit batch inbox/ --lang de,en,fr

Each variation gets its own date, headline and figures (so its own output
folder); most sentences stay as in the examples, as in a real stream of
releases from one office, which the translation memory and the batching of
segments across releases profit from.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember")
_PLACES = ("Hamm", "Marl", "Gelsenkirchen", "Dorsten", "Unna", "Soest", "Lünen", "Kamen", "Werne", "Ahlen")


def _german_date(day: dt.date) -> str:
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def hydrogen_variation(index: int) -> str:
    """The plain-text example with another date, place in the headline and amount."""
    text = (EXAMPLES / "wasserstoff-netz.txt").read_text("utf-8")
    day = dt.date(2025, 5, 15) + dt.timedelta(days=index)
    place = _PLACES[index % len(_PLACES)]
    billions = f"{1.2 + index / 10:.1f}".replace(".", ",")
    text = text.replace("Donnerstag, 15. Mai 2025", f"{_WEEKDAYS[day.weekday()]}, {_german_date(day)}")
    text = text.replace("15. Mai 2025", _german_date(day))
    text = text.replace("1,8 Milliarden Euro", f"{billions} Milliarden Euro")
    headline = "Landesregierung gibt Startschuss für das Wasserstoff-Kernnetz Westfalen"
    return text.replace(headline, f"{headline}: Abschnitt {place} ({index + 1})", 1)


def culture_variation(index: int) -> str:
    """The Markdown example with another date, headline and number of venues."""
    text = (EXAMPLES / "kulturnacht.md").read_text("utf-8")
    day = dt.date(2025, 9, 10) + dt.timedelta(days=index)
    text = text.replace("date: 2025-09-10", f"date: {day.isoformat()}")
    text = text.replace("headline: Auenbrück lädt zur ersten Kulturnacht ein",
                        f"headline: Auenbrück lädt zur Kulturnacht Nummer {index + 1} ein")
    return text.replace("60 Orte", f"{40 + index} Orte")


def write_variations(count: int, folder: Path) -> list[Path]:
    """Write ``count`` releases into ``folder`` (alternating plain text and Markdown); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        if index % 2 == 0:
            path, text = folder / f"wasserstoff-{index + 1:03d}.txt", hydrogen_variation(index)
        else:
            path, text = folder / f"kulturnacht-{index + 1:03d}.md", culture_variation(index)
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many releases")
    parser.add_argument("folder", type=Path, help="where to write them")
    arguments = parser.parse_args()
    for path in write_variations(arguments.count, arguments.folder):
        print(path)


if __name__ == "__main__":
    main()
