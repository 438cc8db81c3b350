"""What each line of a plain-text release could be, scored on several cues.

Every line gets a score per :class:`Role` (headline, dateline, body text,
contact data, web residue …). A score is the sum of the weights of the cues
that fire for the line; a cue is a small named test of one thing (its
length, a date in it, a key word, what stands next to it). To teach the
reader a new layout, add a cue to :data:`CUES`; the choice of the most likely
sequence of zones over all lines (:mod:`toolkit.read.zones`) does the rest.

>>> from toolkit.read.layout import split_lines
>>> lines = split_lines("Pressemitteilung\\n\\nLand fördert neue Radwege\\n\\n19. April 2024")
>>> [max(scores, key=scores.get).value for scores in score_lines(lines)]
['marker', 'headline', 'dateline']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from ..german.addresses import EMAIL_PATTERN, OBFUSCATED_EMAIL_PATTERN, URL_PATTERN
from ..german.dates import find_dates
from .contacts import is_contact_label, looks_like_contact_data
from .layout import Line

__all__ = ["CUES", "Cue", "LineView", "Role", "score_lines"]


class Role(str, Enum):
    """What a line is in a release."""

    NOISE = "noise"  # web page or CMS residue: navigation, share buttons, "Lesedauer"
    MARKER = "marker"  # "Pressemitteilung", "Presseeinladung"
    NUMBER = "number"  # "Nr. 57/2021"
    EMBARGO = "embargo"  # "Sperrfrist: 12.06.2024, 10:00 Uhr"
    ISSUER = "issuer"  # "Ministerium für Umwelt" above the marker
    KICKER = "kicker"  # a section label above the headline: "Gesundheit"
    HEADLINE = "headline"
    SUBHEADLINE = "subheadline"
    DATELINE = "dateline"  # "19. April 2024", "Düsseldorf, 3. Mai 2023", "10:32", "Musterstadt" beside a date
    BYLINE = "byline"  # "Gespeichert von Redaktion am 4. Mai 2021"
    IMAGE = "image"  # image title, caption or credit
    BODY = "body"  # paragraph, quote, heading, list item, link line
    BOILERPLATE_TITLE = "boilerplate_title"  # "Über die Beispiel AG"
    CONTACT_LABEL = "contact_label"  # "Pressekontakt", "Rückfragen bitte an:"
    CONTACT = "contact"  # organisation, person, address, phone, e-mail lines of a contact block
    FOOTER = "footer"  # "Original-Content von: …, übermittelt durch news aktuell"


@dataclass(frozen=True)
class LineView:
    """A line with what a cue may look at around it."""

    lines: Sequence[Line]
    index: int
    #: The line's position among lines that are not obviously residue (0: first).
    content_index: int

    @property
    def line(self) -> Line:
        return self.lines[self.index]

    @property
    def text(self) -> str:
        return self.lines[self.index].text

    def neighbour(self, offset: int) -> str:
        position = self.index + offset
        return self.lines[position].text if 0 <= position < len(self.lines) else ""

    def same_block(self, offset: int) -> bool:
        position = self.index + offset
        return 0 <= position < len(self.lines) and self.lines[position].block == self.line.block


@dataclass(frozen=True)
class Cue:
    """One test that adds ``weight`` to the score of ``role`` when it holds for a line."""

    name: str
    role: Role
    weight: float
    test: Callable[[LineView], bool]


# -- the tests ---------------------------------------------------------------------------

_NAVIGATION = {
    "überblick", "übersicht", "kontakt", "drucken", "seite drucken", "teilen", "seite teilen", "artikel teilen",
    "nach oben", "zurück", "zurück zur übersicht", "zur übersicht", "startseite", "inhalt", "menü", "suche",
    "schließen", "weiterlesen", "link kopieren", "facebook", "twitter", "x", "linkedin", "instagram", "whatsapp",
    "mastodon", "bluesky", "xing", "pressemitteilungen", "alle pressemitteilungen", "download", "downloads",
    "barrierefreiheit", "impressum", "datenschutz", "share", "print", "top", "e-mail", "mail", "pdf", "rss",
    "newsroom", "presse", "aktuelles", "meldungen", "alle meldungen", "mehr", "mehr erfahren", "zum artikel",
    "zurück zur liste", "zur startseite", "navigation", "hauptnavigation", "sprache", "deutsch", "english",
    "leichte sprache", "gebärdensprache", "kontrast", "schriftgröße", "seite vorlesen", "vorlesen", "merken",
    "artikel drucken", "als pdf", "pdf herunterladen", "druckversion", "feedback", "cookie-einstellungen",
    "akzeptieren", "alle akzeptieren", "ablehnen", "einstellungen", "zum inhalt springen", "springe zum inhalt",
    "pressemeldungen", "presseportal", "blaulicht", "themen", "schlagworte", "tags", "kategorien", "kommentare",
    "ähnliche artikel", "das könnte sie auch interessieren", "weitere meldungen", "zurück nach oben", "home",
    "anhänge zur pressemitteilung", "anhänge", "dokumente", "bilder", "bildergalerie", "galerie", "video",
    "science video project", "idw-abo", "idw-news app", "appstore", "app store", "google play store", "google play",
    "instanz", "print logo", "logo", "karte für diesen artikel", "hier geht es zur originalquelle", "zur originalquelle",
    "der liveticker wird ständig aktualisiert.", "sag uns, was los ist", "keine kommentare", "kommentar schreiben",
    "artikelaktionen", "seitenaktionen", "aktionen", "weitere informationen", "verwandte themen", "mehr zum thema",
    "aktuelle pressemitteilungen", "download pressemitteilung (pdf)", "pressemitteilung als pdf", "download (pdf)",
}
_RESIDUE = re.compile(
    r"^(?:lesedauer\b|lesezeit\b|bild des benutzers|weitere storys?\b|weitere meldungen\b|seite \d+ von \d+$|\d+ von \d+$"
    r"|original-content von\b|übermittelt durch news aktuell|pressemappe\b|alle storys?\b|folgen$|abonnieren\b"
    r"|teilen auf\b|auf \w+ teilen$|drucken\s*[|/]|teilen\s*[|/]|\(?(?:\d+\s)?(?:bilder|fotos|dokumente)\)?$"
    r"|zum seitenanfang|nach oben scrollen|diese seite (?:teilen|drucken)|artikel (?:teilen|drucken|merken)"
    r"|quelle: ots\b|news aktuell gmbh|rss-feed|newsletter abonnieren|jetzt abonnieren|mehr zum thema"
    r"|cookies?\b.{0,80}(?:akzeptieren|zustimmen|einstellungen)|wir verwenden cookies|© news aktuell"
    r"|idw\b.{0,5}informationsdienst wissenschaft|nachrichten, termine, experten$|grafik:\s|logo$"
    r"|(?:bild|foto|grafik)\s+(?:vergrößern|herunterladen|download)|vergrößern$|zoom$|[-_=*~#.·•]{3,}$"
    r"|(?:with\s+|mit\s+)?(?:keine|\d+)\s+kommentare?$|wenn die e-mail nicht korrekt dargestellt wird|sie sind hier:|you are here:"
    r"|(?:[a-z]\s?){1,3}$|[+-]?\s?a\s?[+-]$)",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^(?:[^>›»|]{1,40}\s[>›»|]\s){1,8}[^>›»|]{1,80}$")
_MARKER = re.compile(
    r"^(?:(?:gemeinsame\s+)?(?:presse(?:mitteilung|information|meldung|info|einladung|erklärung|notiz|hinweis)"
    r"|medien(?:information|mitteilung|einladung)|einladung\s+(?:zum|zur)\s+(?:pressetermin|pressekonferenz|medientermin)"
    r"|terminhinweis|themendienst|pm|press\s+release|mitteilung\s+an\s+die\s+(?:presse|medien)|information\s+für\s+die\s+(?:presse|medien))\b[^!?]{0,60}|es gilt das gesprochene wort\.?)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:(?:pressemitteilung|pm|presseinformation)\s+)?(?:nr\.?|nummer|no\.?)\s*:?\s*\d", re.IGNORECASE)
_EMBARGO = re.compile(r"^\W{0,3}(?:sperrfrist|embargo|veröffentlichung\s+nicht\s+vor|frei\s+(?:zur\s+veröffentlichung\s+)?ab|nicht\s+vor)\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:gespeichert|geschrieben|veröffentlicht|erstellt|aktualisiert|geändert|publiziert|datum|stand|erschienen|von\s+\S+(?:\s\S+)?\s+am)\b.{0,80}$"
    r"|\b(?:am|vom)\s+\d{1,2}\.\s?\w+\.?\s?\d{2,4}(?:\s*[-–|,]\s*\d{1,2}[:.]\d{2}(?:\s*uhr)?)?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:(?:bildnachweis(?:e)?|fotos?|bild|bilder|bildquelle|foto\s?credit|copyright|quelle|bildrechte)\s*:|©|\(c\)\s)",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(?:bildunterschrift|bu|bildtext)\s*:", re.IGNORECASE)
_INLINE_CREDIT = re.compile(r"[.!?)]\s+\(?(?:foto|fotos|bild|bildnachweis|quelle|©)\s*:?\s*[^.!?]{2,80}\)?$", re.IGNORECASE)
_BOILERPLATE_TITLE = re.compile(
    r"^(?:über\s+(?:die|den|das|uns|unser\w*)\b.{0,80}|über\s+[A-ZÄÖÜ].{0,80}|kurzporträt.{0,60}|kurzprofil.{0,60}"
    r"|zum\s+unternehmen|hintergrund(?:informationen?)?(?:\s+zu[mr]?\s.{0,60})?|hintergrund:?|zur\s+person:?.{0,60}|about\s+.{1,60})$",
    re.IGNORECASE,
)
_PAREN_AGENCY = re.compile(r"^\([A-ZÄÖÜ]{2,6}(?:[ -][A-ZÄÖÜ]{2,6})?\)\s+[A-ZÄÖÜ]")
_TITLE_DATED = re.compile(r"^[A-ZÄÖÜ][^,.!?]{2,80},\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{4}$")
_DATED_TITLE = re.compile(r"^(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{1,2}\.\s?[A-Za-zäöüÄÖÜ]{3,9}\.?\s\d{4})\s*[-–—:|]\s*[A-ZÄÖÜ„\"]")
_AGENCY_PREFIX = re.compile(r"^[A-ZÄÖÜ]{2,6}(?:-[A-ZÄÖÜ0-9]{1,10}){1,2}\s?:")
_BODY_LABEL = re.compile(r"^(?:zeit|ort|termin|treffpunkt|anmeldung|akkreditierung|ablauf|programm|uhrzeit|adresse|veranstaltungsort|wann|wo)\s*:", re.IGNORECASE)
_ORGANIZATION = re.compile(
    r"ministerium|staatskanzlei|senat(?:s|)kanzlei|polizei|feuerwehr|stadt\b|stadtverwaltung|landkreis|kreis\w*\b|gemeinde|landrats"
    r"|universität|hochschule|institut|gmbh|\bag\b|e\.\s?v\.|verband|stiftung|gericht|landtag|bundestag|behörde|präsidium|amt\b|kammer",
    re.IGNORECASE,
)
_CLOUDFLARE = re.compile(r"\[email\s*(?:&#160;)?\s*protected\]", re.IGNORECASE)
_PHONE_ONLY = re.compile(r"^[+(]?[\d][\d\s()/+–-]{5,24}\d(?:\s*\([^()\d]{2,60}\))?$")
_LABELLED_PHONE = re.compile(r"^[^:]{2,40}:\s*[+(]?\d[\d\s()/+–-]{5,24}\d$")
_POSTCODE = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ]|\b(?:straße|str\.|weg|platz|allee|ring|gasse|ufer|damm)\s+\d|postfach", re.IGNORECASE)
_PERSON = re.compile(r"^(?:(?:Prof\.|Dr\.|Dipl\.-\w+\.?)\s+)*[A-ZÄÖÜ][\w'-]+(?:\s+(?:von|van|de|zu)?\s*[A-ZÄÖÜ][\w'-]+){1,2}$")
_SENTENCE_END = re.compile(r"[.!?…][“”\"»«')]*$")
_ABBREVIATION_END = re.compile(r"(?:\be\.\s?V|\bKG|\bmbH|\bCo|\bInc|\bLtd|\bgGmbH|\bStr|\bNr|\bDr|\bProf|\bbzw|\busw|\betc)\.$")
_TIME_ONLY = re.compile(r"^(?:\d{1,2}[:.]\d{2}(?:\s*uhr)?|\d{1,2}\s*uhr)$", re.IGNORECASE)
_PLACE_ONLY = re.compile(r"^[A-ZÄÖÜ][\w.-]+(?:[\s-][A-ZÄÖÜ(][\w.)-]+){0,2}$")
_NOT_A_PLACE = re.compile(r"^(?:der|die|das|den|dem|des|ein|eine)\b|pressestelle|presse|kontakt|redaktion|meldung|aktuell|rathaus|polizei|amt\b|ministerium", re.IGNORECASE)
_QUOTE_OPEN = re.compile(r"^[„»“\"‚]|^[^„»“\"]{3,140}:\s*[„»“\"]")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪]|\d{1,2}[.)])\s+")
_SALUTATION = re.compile(r"^(?:(?:meine\s+)?sehr\s+geehrte[rn]?|liebe[rn]?|guten\s+tag|hallo)\b", re.IGNORECASE)
_SITE_WORDS = re.compile(r"^informationen aus|newsroom|newsletter|presseportal|pressebereich|aktuelles|aktuelle meldungen|informationsdienst|\bidw\b|\beG\b|gGmbH|theater|stadtwerke|verein|genossenschaft|landesregierung|landratsamt|kreisstadt|inspektion|direktion|fachhochschule|museum|zoo|tierpark|klinik", re.IGNORECASE)
_PRESS_OFFICE = re.compile(r"pressestelle|pressesprecher(?:in)?\b|kommunikation|presse- und öffentlichkeitsarbeit|pressereferat|medienreferat", re.IGNORECASE)
_PERSON_FIRST = re.compile(r"^(?:(?:Prof\.|Dr\.|Dipl\.-\w+\.)\s+)*[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\s+(?:von\s+)?[A-ZÄÖÜ][\w-]+\s+\S")
_OTS_PLACE = re.compile(r"^[A-ZÄÖÜ][\w .'/-]{1,50}\(ots\)\s*[-–—:]?$")
_MORE_STORIES = re.compile(r"^(?:(?:weitere|mehr|alle)\s+(?:storys?|meldungen|pressemitteilungen|nachrichten|artikel)\b|merkmale dieser pressemitteilung)", re.IGNORECASE)
_KICKER_WORDS = {
    "politik", "wirtschaft", "gesundheit", "bildung", "kultur", "soziales", "verkehr", "umwelt", "sport", "wissenschaft",
    "forschung", "justiz", "polizei", "feuerwehr", "finanzen", "digitales", "landwirtschaft", "energie", "klima",
    "familie", "arbeit", "inneres", "europa", "tourismus", "bauen", "wohnen", "soziales", "integration", "jugend",
    "verbraucherschutz", "mobilität", "sicherheit", "veranstaltung", "termin", "termine", "personalie", "personalien",
    "meldung", "aktuell", "nachricht", "nachrichten", "news", "pressemitteilung", "bekanntmachung", "hochschule",
    "medizin", "studium", "lehre", "stadtentwicklung", "verwaltung", "landtag", "regierung", "ministerium",
}


def _lower(view: LineView) -> str:
    return view.text.lower().strip(" :|›»>•·-–")


def _is_navigation(view: LineView) -> bool:
    return _lower(view) in _NAVIGATION


def _is_residue(view: LineView) -> bool:
    return bool(_RESIDUE.match(view.text))


def _is_breadcrumb(view: LineView) -> bool:
    return len(view.text) <= 200 and bool(_BREADCRUMB.match(view.text)) and view.text.count(" ") < 25


def _repeats_earlier_line(view: LineView) -> bool:
    """Image alt text shown again as a line, a headline repeated by the page template."""
    return len(view.text) <= 200 and any(line.text == view.text for line in view.lines[max(0, view.index - 4): view.index])


def _date_share(view: LineView) -> float:
    """How much of the line a date (with weekday, time, place) covers: 1.0 for a line that is only a date."""
    text = view.text
    if len(text) > 90:
        return 0.0
    hits = find_dates(text)
    if not hits:
        return 0.0
    rest = text[: hits[0].start] + text[hits[0].end :]
    rest = re.sub(r"\b\d{1,2}[:.]\d{2}\b|\buhr\b|\b(?:am|pm|den|vom|um|stand|datum|ca\.)\b|\b\d{1,4}/\d{2,4}\b|[\s,|/()–—:-]+", " ", rest,
                  flags=re.IGNORECASE)
    # A line that opens with its date may go on with place and number: "24.02.2022, Halle (Saale) – 006/2022".
    allowance = 60 if hits[0].start == 0 else 40
    return 1.0 - min(1.0, len(rest.strip()) / allowance)


def _date_line(view: LineView) -> bool:
    return _date_share(view) >= 0.6 and not _BODY_LABEL.match(view.text) and not _EMBARGO.match(view.text)


def _place_beside_date(view: LineView) -> bool:
    if not (_PLACE_ONLY.match(view.text) and len(view.text) <= 40) or _NOT_A_PLACE.search(view.text) or view.text.endswith("."):
        return False
    return any(_date_share(LineView(view.lines, view.index + step, 0)) >= 0.6 or _TIME_ONLY.match(view.neighbour(step))
               for step in (-1, 1, -2, 2) if 0 <= view.index + step < len(view.lines))


def _time_beside_date(view: LineView) -> bool:
    return bool(_TIME_ONLY.match(view.text))


def _sentence(view: LineView) -> bool:
    """Ends like a sentence; "Beispiel e. V." or "Muster GmbH & Co. KG." do not."""
    return bool(_SENTENCE_END.search(view.text)) and not _ABBREVIATION_END.search(view.text)


def _long(view: LineView) -> bool:
    return len(view.text) >= 160


def _medium(view: LineView) -> bool:
    return 60 <= len(view.text) < 160


def _headline_length(view: LineView) -> bool:
    return 12 <= len(view.text) <= 230


def _too_long_for_a_headline(view: LineView) -> bool:
    return len(view.text) > 260


def _several_sentences(view: LineView) -> bool:
    return len(re.findall(r"[a-zäöüß0-9)][.!?]\s+[A-ZÄÖÜ„]", view.text)) >= 1 and len(view.text) > 100


def _early(view: LineView) -> bool:
    return view.content_index <= 5


def _words(view: LineView) -> int:
    return len(view.text.split())


def _after_header_line(view: LineView) -> bool:
    """Right under a date line, a marker or a release number: where headlines of web copies stand."""
    previous = view.neighbour(-1)
    return bool(previous) and (bool(_MARKER.match(previous)) or bool(_NUMBER.match(previous))
                               or _date_share(LineView(view.lines, view.index - 1, 0)) >= 0.6
                               or bool(_TIME_ONLY.match(previous)) or bool(_BYLINE.search(previous)))


_NAME_FUNCTION_WORDS = {"für", "und", "der", "die", "das", "des", "dem", "den", "von", "vom", "am", "im", "an", "zu", "zur", "aus", "bei",
                        "zum", "in", "&", "–", "-", "|", "/", "e.", "v.", "eg", "mbh", "gmbh", "ag", "kg", "se"}


def _name_like(text: str) -> bool:
    """Every word capitalized or a function word: a name ("Ministerium für Umwelt des Landes X"), not a sentence."""
    words = text.replace(",", " ").split()
    return bool(words) and all(word[:1].isupper() or word[:1].isdigit() or word.lower() in _NAME_FUNCTION_WORDS for word in words)


_OPEN_END = re.compile(r"(?:\b(?:der|die|das|des|dem|den|ein|eine|einer|einem|einen|und|oder|mit|im|in|zu|zum|zur|von|vom|auf|an|am|bei|nach|für|über|als|wie|dass|sich|sie|ihr|ihre|seine|sowie|nicht|auch|noch|nur)|(?<=[a-zäöüß])[,-])$", re.IGNORECASE)


def _runs_on(view: LineView) -> bool:
    """A line of a wrapped paragraph: the sentence goes on in the next line of the block."""
    following = view.neighbour(1)
    return view.same_block(1) and not _SENTENCE_END.search(view.text) and (following[:1].islower() or bool(_OPEN_END.search(view.text)))


def _runs_on_from_before(view: LineView) -> bool:
    previous = view.neighbour(-1)
    return view.same_block(-1) and not _SENTENCE_END.search(previous) and (view.text[:1].islower() or bool(_OPEN_END.search(previous)))


def _site_or_issuer_name(view: LineView) -> bool:
    """A short name at the top of a web copy: "Polizeipräsidium Talbrunn", "Kornau Energie – Newsroom"."""
    text = view.text
    words = [word for word in text.split() if any(char.isalpha() for char in word)]
    # The organisation leads its name ("Hochschule Felsburg", "Landkreis X"); a headline may end on one ("… der Hochschulen").
    return (view.content_index <= 3 and len(text) <= 90 and len(words) <= 7 and not _sentence(view) and _name_like(text)
            and (bool(_ORGANIZATION.search(" ".join(words[:2]))) or bool(_SITE_WORDS.search(text))))


def _press_office_byline(view: LineView) -> bool:
    """"Dr. Friederike Nolte Pressestelle der Universität X" under an idw headline: who sent it, not release text."""
    # A headline may name a press office too ("Klare Verantwortlichkeiten - Klinik-Pressestelle wird …"), but has
    # its dash or colon; a byline is a name, then the office.
    return (view.content_index <= 10 and len(view.text) <= 110 and not _sentence(view) and bool(_PERSON_FIRST.match(view.text))
            and bool(_PRESS_OFFICE.search(view.text)) and not re.search(r"\s[-–—]\s|:", view.text))


def _name_in_head(view: LineView) -> bool:
    """A bare organisation name under the headline ("Universität Hellbrück"): the sender, repeated."""
    return (0 < view.content_index <= 10 and _words(view) <= 5 and _name_like(view.text) and bool(_ORGANIZATION.search(view.text))
            and not any(len(line.text) >= 160 for line in view.lines[: view.index]))


def _ots_place(view: LineView) -> bool:
    return len(view.text) <= 60 and bool(_OTS_PLACE.match(view.text))


def _after_more_stories(view: LineView) -> bool:
    """Teasers of other releases under "Weitere Storys" (ots) or "Weitere Meldungen"."""
    return any(_MORE_STORIES.match(line.text) for line in view.lines[max(0, view.index - 12): view.index]
               if line.block >= view.line.block - 1)


def _late_in_head(view: LineView) -> bool:
    return view.content_index > 6


def _starts_upper(view: LineView) -> bool:
    return view.text[:1].isupper() or view.text[:1].isdigit() or view.text[:1] in "„»\"'"


def _contact_data(view: LineView) -> bool:
    text = view.text
    return len(text) <= 200 and (looks_like_contact_data(text) or bool(_PHONE_ONLY.match(text)) or bool(_LABELLED_PHONE.match(text))
                                 or bool(_CLOUDFLARE.search(text))
                                 or (len(text) <= 120 and bool(EMAIL_PATTERN.search(text) or OBFUSCATED_EMAIL_PATTERN.search(text))))


def _contact_data_nearby(view: LineView) -> bool:
    return len(view.text) <= 100 and not _sentence(view) and any(
        _contact_data(LineView(view.lines, view.index + step, 0)) for step in (1, 2, 3, 4) if view.index + step < len(view.lines))


def _address(view: LineView) -> bool:
    return len(view.text) <= 100 and bool(_POSTCODE.search(view.text))


def _person(view: LineView) -> bool:
    return len(view.text) <= 60 and bool(_PERSON.match(view.text))


def _organization_short(view: LineView) -> bool:
    return len(view.text) <= 100 and not _sentence(view) and bool(_ORGANIZATION.search(view.text))


def _contact_label(view: LineView) -> bool:
    return len(view.text) <= 80 and is_contact_label(view.text)


def _label_with_contact(view: LineView) -> bool:
    """"Für Rückfragen: Jana Albers, Pressesprecherin, Tel. 069 …" — label and contact on one line."""
    label, colon, rest = view.text.partition(":")
    return bool(colon) and len(label) <= 60 and is_contact_label(label) and len(view.text) <= 400 and (
        bool(EMAIL_PATTERN.search(rest) or OBFUSCATED_EMAIL_PATTERN.search(rest)) or bool(re.search(r"\d{3,}[\s/-]*\d{2,}", rest)))


def _footer(view: LineView) -> bool:
    return bool(re.match(r"^(?:original-content von|übermittelt durch|©\s?\d{4}|copyright\s?©?\s?\d{4}|quelle:\s)", view.text, re.IGNORECASE))


def _quote_opening(view: LineView) -> bool:
    return bool(_QUOTE_OPEN.match(view.text)) and len(view.text) > 40


def _url_line(view: LineView) -> bool:
    return len(view.text) <= 220 and bool(URL_PATTERN.search(view.text))


def _kicker(view: LineView) -> bool:
    text = view.text.rstrip(":")
    return (len(text) <= 40 and len(text.split()) <= 3 and not _sentence(view) and not find_dates(text)
            and (text.lower() in _KICKER_WORDS or (view.same_block(1) and len(view.neighbour(1)) > len(text) + 10)))


def _followed_by_headline_like(view: LineView) -> bool:
    following = view.neighbour(1)
    return 15 <= len(following) <= 230 and not _SENTENCE_END.search(following)


def _repeated_below(view: LineView) -> bool:
    """An image's title shown twice (as alt text, then as title): the first of two equal lines."""
    return len(view.text) <= 150 and view.neighbour(1) == view.text


def _caption_with_credit(view: LineView) -> bool:
    return len(view.text) <= 500 and bool(_INLINE_CREDIT.search(view.text))


def _follows_credit_or_caption(view: LineView) -> bool:
    return bool(_CREDIT.match(view.neighbour(1)) and len(view.text) <= 500)


def _short_title_before_caption(view: LineView) -> bool:
    return len(view.text) <= 120 and not _sentence(view) and bool(_CREDIT.match(view.neighbour(2))) and len(view.neighbour(1)) <= 500


def _ends_with_colon(view: LineView) -> bool:
    return view.text.endswith(":")


def _all_caps(view: LineView) -> bool:
    letters = [char for char in view.text if char.isalpha()]
    return len(letters) >= 8 and sum(char.isupper() for char in letters) / len(letters) > 0.8


#: Every cue, by role. Weights are on one scale: about 10 is "this is certainly it", 1–3 a hint.
CUES: tuple[Cue, ...] = (
    # residue of the web page, the CMS or the e-mail client
    Cue("navigation word", Role.NOISE, 12, _is_navigation),
    Cue("residue phrase", Role.NOISE, 12, _is_residue),
    Cue("breadcrumb trail", Role.NOISE, 9, _is_breadcrumb),
    Cue("repeats an earlier line", Role.NOISE, 7, _repeats_earlier_line),
    Cue("teaser of another release", Role.NOISE, 12, _after_more_stories),
    Cue("list of other releases or the page's metadata", Role.NOISE, 12, lambda v: bool(_MORE_STORIES.match(v.text))),
    Cue("press office byline", Role.NOISE, 9, _press_office_byline),
    Cue("short label of the page", Role.NOISE, 6, lambda v: v.content_index <= 12 and len(v.text) <= 30 and v.text.endswith(":")
        and not is_contact_label(v.text) and not _BODY_LABEL.match(v.text)),
    Cue("sender's name repeated", Role.NOISE, 5, _name_in_head),
    # above the headline
    Cue("release marker", Role.MARKER, 11, lambda v: len(v.text) <= 90 and bool(_MARKER.match(v.text))),
    Cue("release number", Role.NUMBER, 10, lambda v: len(v.text) <= 90 and bool(_NUMBER.match(v.text))),
    Cue("embargo", Role.EMBARGO, 12, lambda v: len(v.text) <= 160 and bool(_EMBARGO.match(v.text))),
    Cue("issuer name", Role.ISSUER, 3, lambda v: _organization_short(v) and v.content_index <= 1),
    Cue("site or issuer name at the top", Role.ISSUER, 6, _site_or_issuer_name),
    Cue("short name at the top", Role.ISSUER, 2, lambda v: v.content_index <= 2 and _words(v) <= 4 and _name_like(v.text)),
    Cue("issuer above a marker", Role.ISSUER, 5, lambda v: _organization_short(v) and bool(_MARKER.match(v.neighbour(1)))),
    Cue("section label", Role.KICKER, 4, _kicker),
    Cue("short label above a headline", Role.KICKER, 2, lambda v: len(v.text) <= 30 and _followed_by_headline_like(v) and v.content_index <= 2),
    # the headline and what stands under it
    Cue("headline length", Role.HEADLINE, 3, _headline_length),
    Cue("no sentence end", Role.HEADLINE, 2, lambda v: not _sentence(v) or v.text.endswith(("!", "?"))),
    Cue("ends with a full stop", Role.HEADLINE, -3, lambda v: _sentence(v) and v.text.rstrip("“”\"»«')").endswith(".")),
    Cue("near the top", Role.HEADLINE, 3, _early),
    Cue("several words", Role.HEADLINE, 3, lambda v: 4 <= _words(v) <= 30),
    Cue("few words", Role.HEADLINE, -3, lambda v: _words(v) <= 2),
    Cue("under a date, marker or number", Role.HEADLINE, 2, _after_header_line),
    Cue("date in front of a title", Role.HEADLINE, 5, lambda v: bool(_DATED_TITLE.match(v.text)) and len(v.text) <= 260),
    Cue("title followed by its date", Role.HEADLINE, 6, lambda v: bool(_TITLE_DATED.match(v.text)) and not _MARKER.match(v.text)),
    Cue("site or issuer name", Role.HEADLINE, -3, _site_or_issuer_name),
    Cue("press office byline is no headline", Role.HEADLINE, -5, _press_office_byline),
    Cue("starts with a capital", Role.HEADLINE, 1, _starts_upper),
    Cue("agency prefix", Role.HEADLINE, 10, lambda v: bool(_AGENCY_PREFIX.match(v.text) or _PAREN_AGENCY.match(v.text))),
    Cue("marker or number line", Role.HEADLINE, -8, lambda v: len(v.text) <= 60 and bool(_NUMBER.match(v.text) or (_MARKER.match(v.text) and re.search(r"\d", v.text)))),
    Cue("too long for a headline", Role.HEADLINE, -8, _too_long_for_a_headline),
    Cue("several sentences", Role.HEADLINE, -4, _several_sentences),
    Cue("headline that is only a date", Role.HEADLINE, -9, _date_line),
    Cue("headline that is contact data", Role.HEADLINE, -8, _contact_data),
    Cue("headline ending in a colon", Role.HEADLINE, -3, _ends_with_colon),
    Cue("headline that starts in lower case", Role.HEADLINE, -6, lambda v: v.text[:1].islower()),
    Cue("headline ending in a comma", Role.HEADLINE, -4, lambda v: v.text.endswith(",")),
    Cue("headline with a postal address", Role.HEADLINE, -4, _address),
    Cue("salutation is no headline", Role.HEADLINE, -8, lambda v: bool(_SALUTATION.match(v.text))),
    Cue("subheadline length", Role.SUBHEADLINE, 3, lambda v: 12 <= len(v.text) <= 300),
    Cue("subheadline without sentence end", Role.SUBHEADLINE, 2, lambda v: not _sentence(v)),
    Cue("subheadline that is a date", Role.SUBHEADLINE, -9, _date_line),
    Cue("subheadline that is contact data", Role.SUBHEADLINE, -8, _contact_data),
    Cue("subheadline that is long", Role.SUBHEADLINE, -6, lambda v: len(v.text) > 300),
    Cue("subheadline that continues a sentence", Role.SUBHEADLINE, -6, lambda v: not _starts_upper(v) or v.text[:1] in "-–("),
    Cue("subheadline wrapped into the next line", Role.SUBHEADLINE, -5, lambda v: v.same_block(1) and v.neighbour(1)[:1].islower()),
    Cue("subheadline far from the top", Role.SUBHEADLINE, -3, lambda v: v.content_index > 8),
    Cue("headline wrapped into a lowercase line", Role.HEADLINE, -4, lambda v: v.same_block(1) and v.neighbour(1)[:1].islower() and len(v.text) > 60),
    Cue("runs on into the next line", Role.BODY, 4, _runs_on),
    Cue("runs on from the line before", Role.BODY, 4, _runs_on_from_before),
    Cue("a wrapped line is no headline", Role.HEADLINE, -5, _runs_on_from_before),
    Cue("date line", Role.DATELINE, 11, _date_line),
    Cue("time beside a date", Role.DATELINE, 8, _time_beside_date),
    Cue("place beside a date", Role.DATELINE, 6, _place_beside_date),
    Cue("ots place line", Role.DATELINE, 10, _ots_place),
    Cue("byline with a date", Role.BYLINE, 10, lambda v: len(v.text) <= 120 and bool(_BYLINE.search(v.text)) and bool(find_dates(v.text))),
    Cue("image credit", Role.IMAGE, 10, lambda v: len(v.text) <= 200 and bool(_CREDIT.match(v.text))),
    Cue("image caption label", Role.IMAGE, 10, lambda v: bool(_CAPTION.match(v.text))),
    Cue("caption above a credit", Role.IMAGE, 6, _follows_credit_or_caption),
    Cue("caption ending with its credit", Role.IMAGE, 9, _caption_with_credit),
    Cue("image title shown twice", Role.IMAGE, 8, _repeated_below),
    Cue("title above a caption", Role.IMAGE, 7, _short_title_before_caption),
    # the body
    Cue("any text", Role.BODY, 1, lambda v: True),
    Cue("long", Role.BODY, 5, _long),
    Cue("medium", Role.BODY, 2, _medium),
    Cue("sentence", Role.BODY, 2, _sentence),
    Cue("several sentences", Role.BODY, 3, _several_sentences),
    Cue("quotation", Role.BODY, 4, _quote_opening),
    Cue("list item", Role.BODY, 4, lambda v: bool(_BULLET.match(v.text))),
    Cue("invitation detail", Role.BODY, 8, lambda v: bool(_BODY_LABEL.match(v.text))),
    Cue("salutation", Role.BODY, 8, lambda v: bool(_SALUTATION.match(v.text))),
    Cue("body line that is contact data", Role.BODY, -3, lambda v: _contact_data(v) and len(v.text) < 80),
    Cue("body line that is a navigation word", Role.BODY, -6, _is_navigation),
    # the tail
    Cue("boilerplate title", Role.BOILERPLATE_TITLE, 10, lambda v: bool(_BOILERPLATE_TITLE.match(v.text)) and not _sentence(v)),
    Cue("contact label", Role.CONTACT_LABEL, 11, _contact_label),
    Cue("label with its contact on one line", Role.CONTACT_LABEL, 14, _label_with_contact),
    Cue("contact field", Role.CONTACT, 10, _contact_data),
    Cue("address line", Role.CONTACT, 6, _address),
    Cue("person's name", Role.CONTACT, 2, _person),
    Cue("organisation", Role.CONTACT, 2, _organization_short),
    Cue("above contact data", Role.CONTACT, 4, _contact_data_nearby),
    Cue("web address line", Role.CONTACT, 2, lambda v: _url_line(v) and len(v.text) <= 80),
    Cue("sentence in a contact block", Role.CONTACT, -5, lambda v: _long(v) or (_sentence(v) and len(v.text) > 60)),
    Cue("footer", Role.FOOTER, 12, _footer),
    Cue("capitals", Role.EMBARGO, 1, _all_caps),
)


def score_lines(lines: Sequence[Line], cues: Sequence[Cue] = CUES) -> list[dict[Role, float]]:
    """Each line's score per role: the sum of the weights of the cues that hold."""
    content_index = 0
    scores: list[dict[Role, float]] = []
    for index, line in enumerate(lines):
        view = LineView(lines, index, content_index)
        score = dict.fromkeys(Role, 0.0)
        for cue in cues:
            if cue.test(view):
                score[cue.role] += cue.weight
        if score[Role.NOISE] < 7:
            content_index += 1
        scores.append(score)
    return scores
