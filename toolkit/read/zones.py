"""The most likely sequence of zones over a release's lines, chosen as a whole.

A release runs through zones in order — what stands above the headline, the
headline (one to three lines), the head under it (subheadline, dateline,
image), the body, then boilerplate, contact blocks and footer in any order.
Each zone admits some roles (:class:`~toolkit.read.cues.Role`); a line's
score in a zone is its best score among them. Dynamic programming (Viterbi)
picks the path of zones with the highest total score, so one strong cue
(a contact label, a dateline) decides where a zone starts, and a line that
could be several things is read as what fits the lines around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from .cues import Role
from .layout import Line

__all__ = ["Labelled", "Zone", "decode"]


class Zone(str, Enum):
    ABOVE = "above"
    TITLE = "title"
    TITLE_2 = "title_2"
    TITLE_3 = "title_3"
    HEAD = "head"
    BODY = "body"
    BOILERPLATE = "boilerplate"
    CONTACTS = "contacts"
    FOOTER = "footer"


_ROLES: dict[Zone, tuple[Role, ...]] = {
    # Above the headline also stand a letterhead's or a web page's sidebar contact data.
    Zone.ABOVE: (Role.NOISE, Role.MARKER, Role.NUMBER, Role.EMBARGO, Role.ISSUER, Role.KICKER, Role.DATELINE, Role.BYLINE,
                 Role.CONTACT_LABEL, Role.CONTACT),
    Zone.TITLE: (Role.HEADLINE,),
    Zone.TITLE_2: (Role.HEADLINE,),
    Zone.TITLE_3: (Role.HEADLINE,),
    Zone.HEAD: (Role.NOISE, Role.SUBHEADLINE, Role.DATELINE, Role.BYLINE, Role.EMBARGO, Role.NUMBER, Role.MARKER, Role.IMAGE),
    Zone.BODY: (Role.NOISE, Role.BODY),
    # The standing text under a boilerplate title reads like body text.
    Zone.BOILERPLATE: (Role.NOISE, Role.BODY),
    Zone.CONTACTS: (Role.NOISE, Role.CONTACT_LABEL, Role.CONTACT),
    Zone.FOOTER: (Role.NOISE, Role.FOOTER),
}
#: The roles a line must have to open a zone (the boilerplate opens with its title).
_ENTRY: dict[Zone, tuple[Role, ...]] = {
    Zone.BOILERPLATE: (Role.BOILERPLATE_TITLE,),
    Zone.CONTACTS: (Role.CONTACT_LABEL, Role.CONTACT),
    Zone.FOOTER: (Role.FOOTER,),
}
_NEXT: dict[Zone, tuple[Zone, ...]] = {
    Zone.ABOVE: (Zone.ABOVE, Zone.TITLE),
    Zone.TITLE: (Zone.TITLE_2, Zone.HEAD, Zone.BODY),
    Zone.TITLE_2: (Zone.TITLE_3, Zone.HEAD, Zone.BODY),
    Zone.TITLE_3: (Zone.HEAD, Zone.BODY),
    Zone.HEAD: (Zone.HEAD, Zone.BODY),
    Zone.BODY: (Zone.BODY, Zone.BOILERPLATE, Zone.CONTACTS, Zone.FOOTER),
    Zone.BOILERPLATE: (Zone.BOILERPLATE, Zone.CONTACTS, Zone.FOOTER),
    Zone.CONTACTS: (Zone.CONTACTS, Zone.BOILERPLATE, Zone.FOOTER, Zone.BODY),
    Zone.FOOTER: (Zone.FOOTER, Zone.CONTACTS, Zone.BOILERPLATE),
}
#: What a move between zones costs: text going on after a contact block (a portal's standing text about the
#: sender) is possible, but less likely than the contact block ending the release.
_MOVE_COST: dict[tuple[Zone, Zone], float] = {(Zone.CONTACTS, Zone.BODY): 8.0}
_START = (Zone.ABOVE, Zone.TITLE)
_END = (Zone.BODY, Zone.BOILERPLATE, Zone.CONTACTS, Zone.FOOTER)
_OPEN_ENDING = re.compile(r"(?:\b(?:für|und|oder|der|die|das|des|dem|den|mit|im|in|zu|zum|zur|von|vom|auf|an|bei|nach|über|gegen|als|wie|ein|eine|einer|sowie)|[,–-])$", re.IGNORECASE)


@dataclass(frozen=True)
class Labelled:
    """A line with the zone and the role chosen for it."""

    line: Line
    zone: Zone
    role: Role
    score: float


def _continues_headline(lines: Sequence[Line], index: int) -> float:
    """Bonus (or penalty) for reading line ``index`` as the continuation of the headline line before it."""
    previous, line = lines[index - 1], lines[index]
    if previous.block != line.block and not (previous.rows == 1 and line.rows == 1):
        return -20.0
    if _OPEN_ENDING.search(previous.text) or line.text[:1].islower():
        return 6.0
    return -15.0


def _emission(scores: dict[Role, float], zone: Zone, entering: bool) -> tuple[float, Role]:
    if zone in (Zone.TITLE, Zone.TITLE_2, Zone.TITLE_3):
        # Residue is never part of a headline, however headline-like its words.
        return scores[Role.HEADLINE] - max(0.0, scores[Role.NOISE]), Role.HEADLINE
    roles = _ENTRY[zone] if entering and zone in _ENTRY else _ROLES[zone]
    best = max(roles, key=lambda role: scores[role])
    if entering and zone in _ENTRY and scores[best] <= 0:
        return -50.0, best  # a zone never opens on a line with nothing of its opening role
    if zone == Zone.ABOVE:
        # Prose above the headline is unlikely: a line that reads as body text costs there.
        return scores[best] - 0.5 * max(0.0, scores[Role.BODY] - 3), best
    return scores[best], best


def decode(lines: Sequence[Line], scores: Sequence[dict[Role, float]], *, headline: bool = True) -> list[Labelled]:
    """Label every line with the zone and role of the best-scoring sequence of zones.

    With ``headline=False`` the path has no headline zone: for a text in which
    no line reads as a headline, whose body then starts right after the head.
    """
    if not lines:
        return []
    zones = [zone for zone in Zone if headline or zone not in (Zone.TITLE, Zone.TITLE_2, Zone.TITLE_3)]
    next_zones = _NEXT if headline else {**_NEXT, Zone.ABOVE: (Zone.ABOVE, Zone.HEAD, Zone.BODY)}
    starts = _START if headline else (Zone.ABOVE, Zone.BODY)
    minus_infinity = float("-inf")
    # best[i][zone] = (total score of the best path ending in zone at line i, previous zone, role)
    best: list[dict[Zone, tuple[float, Zone | None, Role]]] = []
    first: dict[Zone, tuple[float, Zone | None, Role]] = {}
    for zone in zones:
        if zone in starts:
            value, role = _emission(scores[0], zone, entering=True)
            first[zone] = (value, None, role)
        else:
            first[zone] = (minus_infinity, None, Role.NOISE)
    best.append(first)
    for index in range(1, len(lines)):
        row: dict[Zone, tuple[float, Zone | None, Role]] = {}
        for zone in zones:
            candidates = []
            for previous in zones:
                total = best[index - 1][previous][0]
                if total == minus_infinity or zone not in next_zones[previous]:
                    continue
                value, role = _emission(scores[index], zone, entering=previous != zone)
                value -= _MOVE_COST.get((previous, zone), 0.0)
                if zone in (Zone.TITLE_2, Zone.TITLE_3):
                    value += _continues_headline(lines, index) - (3 if zone == Zone.TITLE_3 else 0)
                candidates.append((total + value, previous, role))
            row[zone] = max(candidates, key=lambda item: item[0]) if candidates else (minus_infinity, None, Role.NOISE)
        best.append(row)
    # The path must have reached the body (or what follows it).
    end_zone = max(_END, key=lambda zone: best[-1][zone][0])
    if best[-1][end_zone][0] == minus_infinity:
        end_zone = max(zones, key=lambda zone: best[-1][zone][0])
    path: list[tuple[Zone, Role]] = []
    step: Zone | None = end_zone
    for index in range(len(lines) - 1, -1, -1):
        assert step is not None
        _, came_from, role = best[index][step]
        path.append((step, role))
        step = came_from
    path.reverse()
    return [Labelled(line, zone, role, scores[index][role]) for index, (line, (zone, role)) in enumerate(zip(lines, path))]
