"""Quality checks of machine-translated segments, each a small named function reporting one failure.

As in Translate Toolkit's ``pofilter``, every check looks at one source
segment and its translation and returns a :class:`~toolkit.translate.units.Finding` or ``None``;
:func:`check_segment` runs them all and :class:`QAReport` collects the
results of a release.

Checks, their severities and thresholds:

``empty`` (error)
    The source has text, the translation is empty. The other checks but
    ``placeholder_repair`` then stay silent: one error says it all.
``untranslated`` (error; warning below 20 letters)
    The translation equals the source, ignoring case and whitespace, once
    the marked spans (names, facts, terms — rightly the same in both) are
    left out; only for segments that have letters outside those spans.
``wrong_language`` (error or warning)
    The translation, without its marked spans, is identified with
    py3langid (its own bundled model, offline). Only judged from 40 letters
    on: below that, language identification guesses. The classifier is
    asked over all languages it knows and restricted to the toolkit's:

    * all languages: ``zxx`` ("no linguistic content") is an error — letter
      salad, no language at all;
    * restricted to de en fr es it nl pl (plus the source and target): the
      target language getting less than 0.5 of the probability is an error
      ("reads as German (0.98), not English (0.00)"). Measured: real
      translations of 40 letters or more score 0.96–1.00, German left in an
      English text 0.00–0.01. In a target language that writes common
      nouns in lower case (all but German), capitalized words may be names
      nobody marked ("Dorfladen Eichenrode eG ... Kirchstraße"), which read
      as German: so the lower-case words are asked again, and when they
      are fewer than 20 letters or read as the target language, the
      finding is a warning only;
    * all languages again: another language getting 0.5 or more while the
      target gets less than 0.2 is a warning (Lorem ipsum reads as Latin;
      real Spanish still gives Spanish 0.67 against Galician).

    A random or broken model's output — pieces of words of both languages
    thrown together — reads as no language or as the source language, and
    is flagged by one of these; word salad made only of genuine
    target-language words is beyond a character n-gram classifier.
``repetition`` (error)
    The same word or group of up to four words four times or more in a row
    ("the the the the"), the typical loop of a degenerate model, unless the
    source repeats like that too.
``fact_missing`` (error)
    A fact of the source (a span with ``fact``: date, amount, phone ...)
    has no span with an equal fact in the translation (facts compared as
    values, as many times as the source has them); or a name the model had
    to keep (a person, organization or protected span) does not appear in
    the translation.
``glossary`` (warning)
    A glossary term in the source (whole word, case-sensitive, as
    :func:`~toolkit.translate.glossary.mark_terms` matches; not inside a
    name or other protected span) whose target term is not in the
    translation (case-insensitive, also inside a longer word, so an
    inflected or capitalized form passes). A warning: terms the glossary
    marked were put in by placeholder already, so what is left is wording
    to review, not a broken translation.
``length_ratio`` (warning)
    Translation length over source length outside 0.5–2.5, for sources of
    20 characters or more (shorter ones vary too much).
``placeholder_repair`` (info or warning)
    One finding per :class:`~toolkit.translate.protect.Repair`: a
    placeholder the model mangled (info, restored exactly) or invented
    (info, removed); one it dropped (warning: re-inserted at a guessed
    position) or duplicated (warning: one copy removed) — the sentence
    should be read.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from babel import Locale

from ..model import SpanKind, Text
from .protect import Repair
from .units import Finding, Origin, Segment, Severity

__all__ = [
    "CANDIDATE_LANGUAGES",
    "QAReport",
    "check_empty",
    "check_facts",
    "check_glossary",
    "check_length_ratio",
    "check_names",
    "check_repairs",
    "check_repetition",
    "check_segment",
    "check_untranslated",
    "check_wrong_language",
]

#: Languages the restricted classifier chooses from (plus the segment's source and target).
CANDIDATE_LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pl")
#: Letters (outside marked spans) a translation needs before its language is judged.
MIN_LETTERS_FOR_LANGUAGE = 40
#: Letters of lower-case words needed to tell names from untranslated text (see check_wrong_language).
MIN_LETTERS_COMMON_WORDS = 20
#: Restricted classifier: below this probability for the target language, the text is not in it.
MIN_TARGET_PROBABILITY = 0.5
#: Full classifier: another language this sure while the target gets less than OTHER_TARGET_MAX is a warning.
OTHER_LANGUAGE_PROBABILITY = 0.5
OTHER_TARGET_MAX = 0.2
#: Acceptable translation/source length ratio, judged for sources of MIN_LENGTH_FOR_RATIO characters or more.
LENGTH_RATIO = (0.5, 2.5)
MIN_LENGTH_FOR_RATIO = 20
#: Untranslated text shorter than this (in letters) is a warning only.
MIN_LETTERS_UNTRANSLATED_ERROR = 20
#: Consecutive repeats of a word group that make a loop.
REPEATS = 4

_NAME_KINDS = frozenset({SpanKind.PERSON, SpanKind.ORGANIZATION, SpanKind.PROTECTED})
#: Languages that capitalize common nouns, so that a capital letter does not suggest a name.
_NOUNS_CAPITALIZED = frozenset({"de", "lb"})
# py3langid's codes for languages it knows under another one.
_LANGID_ALIASES = {"nb": "no", "zh-hans": "zh", "zh-hant": "zh"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, kw_only=True)
class QAReport:
    source_language: str
    target_language: str
    route: str
    #: One segment per checked place of the release (its whole text, placeholders restored), with its findings.
    segments: tuple[Segment, ...]

    @property
    def passed(self) -> bool:
        """No finding is an error (warnings and infos do not fail a translation)."""
        return not any(f.severity == "error" for segment in self.segments for f in segment.findings)

    def counts(self) -> dict[str, int]:
        """Findings per check, checks in alphabetical order."""
        counter = Counter(f.check for segment in self.segments for f in segment.findings)
        return dict(sorted(counter.items()))

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (strings, numbers, lists, dicts)."""
        return {
            "source_language": self.source_language,
            "target_language": self.target_language,
            "route": self.route,
            "passed": self.passed,
            "counts": self.counts(),
            "segments": [
                {"location": segment.location, "source": segment.source, "target": segment.target,
                 "findings": [asdict(f) for f in segment.findings]}
                for segment in self.segments
            ],
        }

    def verdict(self) -> str:
        """One line: what was checked and how many findings, e.g. "QA de → en (…): passed — 42 segments, 0 errors, 3 warnings"."""
        severities = Counter(f.severity for segment in self.segments for f in segment.findings)
        verdict = "passed" if self.passed else "FAILED"
        return (f"QA {self.source_language} → {self.target_language} ({self.route}): {verdict} — "
                f"{len(self.segments)} segments, {severities['error']} errors, {severities['warning']} warnings, {severities['info']} notes")

    def summary(self) -> str:
        """A readable multi-line summary: the verdict, counts, then each finding with its location."""
        findings = [(segment, f) for segment in self.segments for f in segment.findings]
        lines = [self.verdict()]
        if findings:
            lines.append("Findings per check: " + ", ".join(f"{check} {count}" for check, count in self.counts().items()))
        for segment, finding in sorted(findings, key=lambda item: _SEVERITY_ORDER[item[1].severity]):
            lines.append(f"  {finding.severity:<7} {segment.location}: [{finding.check}] {finding.message}")
        return "\n".join(lines)


# -- the checks ---------------------------------------------------------------------------


def check_empty(source: Text, target: Text) -> Finding | None:
    if source.text.strip() and not target.text.strip():
        return Finding(check="empty", severity="error", message="the translation is empty")
    return None


def check_untranslated(source: Text, target: Text) -> Finding | None:
    words = _comparable(_without_spans(source))
    letters = sum(char.isalpha() for char in words)
    if not letters or words != _comparable(_without_spans(target)):
        return None
    severity: Severity = "error" if letters >= MIN_LETTERS_UNTRANSLATED_ERROR else "warning"
    return Finding(check="untranslated", severity=severity, message=f"the translation is the source text: {_excerpt(target.text)!r}")


def check_wrong_language(target: Text, *, target_language: str, source_language: str) -> Finding | None:
    text = _without_spans(target)
    if _letters(text) < MIN_LETTERS_FOR_LANGUAGE:
        return None
    target_code = _langid_code(target_language)
    labels = _labels()
    if target_code not in labels:
        return None
    overall = _identifier(None).rank(text)
    best, best_probability = overall[0]
    if best == "zxx":
        return Finding(check="wrong_language", severity="error",
                       message=f"no language recognized ({best_probability:.2f}), the translation looks like gibberish: {_excerpt(text)!r}")
    restricted = _identifier(frozenset({*CANDIDATE_LANGUAGES, target_code, _langid_code(source_language)} & labels))
    ranked = restricted.rank(text)
    probability = dict(ranked)[target_code]
    if probability < MIN_TARGET_PROBABILITY:
        other, other_probability = ranked[0]
        if other == target_code:
            message = f"does not read clearly as {_name(target_code)} ({probability:.2f} < {MIN_TARGET_PROBABILITY}): {_excerpt(text)!r}"
        else:
            message = f"reads as {_name(other)} ({other_probability:.2f}), not {_name(target_code)} ({probability:.2f}): {_excerpt(text)!r}"
        if target_code in _NOUNS_CAPITALIZED:
            return Finding(check="wrong_language", severity="error", message=message)
        # Unmarked names (capitalized) may be what reads as the source language: judge the other words too.
        common = " ".join(word for word in _WORD.findall(text) if not word[0].isupper())
        if _letters(common) < MIN_LETTERS_COMMON_WORDS:
            return Finding(check="wrong_language", severity="warning",
                           message=message + " — mostly capitalized words, perhaps names: check")
        if dict(restricted.rank(common))[target_code] >= MIN_TARGET_PROBABILITY:
            return Finding(check="wrong_language", severity="warning",
                           message=message + f" — its lower-case words read as {_name(target_code)}: check the capitalized ones")
        return Finding(check="wrong_language", severity="error", message=message)
    target_overall = dict(overall).get(target_code, 0.0)
    if best != target_code and best_probability >= OTHER_LANGUAGE_PROBABILITY and target_overall < OTHER_TARGET_MAX:
        return Finding(check="wrong_language", severity="warning",
                       message=f"reads as {_name(best)} ({best_probability:.2f}) rather than {_name(target_code)} ({target_overall:.2f}): {_excerpt(text)!r}")
    return None


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def check_repetition(source: Text, target: Text) -> Finding | None:
    loop = _loop(target.text)
    if loop is None or _loop(source.text) is not None:
        return None
    return Finding(check="repetition", severity="error", message=f"{loop!r} repeats {REPEATS} times or more in a row: the model looped")


def check_facts(source: Text, target: Text) -> Finding | None:
    wanted = Counter(span.fact for span in source.spans if span.fact is not None)
    present = Counter(span.fact for span in target.spans if span.fact is not None)
    missing = wanted - present
    if not missing:
        return None
    written = {span.fact: source.text[span.start : span.end] for span in source.spans if span.fact is not None}
    listed = ", ".join(f"{written[fact]!r} ({fact.type})" for fact in missing.elements())
    return Finding(check="fact_missing", severity="error", message=f"missing in the translation: {listed}")


def check_names(source: Text, target: Text) -> Finding | None:
    names = dict.fromkeys(source.text[s.start : s.end] for s in source.spans if s.kind in _NAME_KINDS)
    missing = [name for name in names if name not in target.text]
    if not missing:
        return None
    return Finding(check="fact_missing", severity="error", message="names missing in the translation: " + ", ".join(repr(n) for n in missing))


def check_glossary(source: Text, target: Text, glossary: Mapping[str, str]) -> Finding | None:
    if not glossary:
        return None
    # Names and other kept spans are not translated, so a term inside them asks for nothing.
    searched = _blank_spans(source, lambda span: span.kind is not SpanKind.TERM)
    translation = target.text.casefold()
    missing = [
        (term, translated)
        for term, translated in glossary.items()
        if _whole_word(term).search(searched) and translated.casefold() not in translation
    ]
    if not missing:
        return None
    listed = ", ".join(f"{term!r} → {translated!r}" for term, translated in missing)
    return Finding(check="glossary", severity="warning", message=f"glossary term not used: {listed}")


def check_length_ratio(source: Text, target: Text) -> Finding | None:
    source_length, target_length = len(source.text.strip()), len(target.text.strip())
    if source_length < MIN_LENGTH_FOR_RATIO or not target_length:
        return None
    ratio = target_length / source_length
    low, high = LENGTH_RATIO
    if low <= ratio <= high:
        return None
    return Finding(check="length_ratio", severity="warning",
                   message=f"the translation is {ratio:.2f} times as long as the source (expected {low}–{high})")


def check_repairs(repairs: Sequence[Repair]) -> list[Finding]:
    """One finding per placeholder repair."""
    severity: dict[str, Severity] = {"mangled": "info", "invented": "info", "dropped": "warning", "duplicated": "warning"}
    return [
        Finding(check="placeholder_repair", severity=severity.get(repair.kind, "warning"), message=f"{repair.kind} {repair.token}: {repair.detail}")
        for repair in repairs
    ]


def check_segment(
    *,
    location: str,
    source: Text,
    target: Text,
    source_language: str,
    target_language: str,
    repairs: Sequence[Repair] = (),
    glossary: Mapping[str, str] = {},
    origin: Origin = "machine",
    model: str | None = None,
) -> Segment:
    """Every check on the text at ``location`` and its translation; the segment with what they found.

    ``origin`` and ``model`` say where the translation came from (for a text
    of several sentences: the least reviewed of them).
    """
    findings: list[Finding | None] = [check_empty(source, target)]
    if target.text.strip():
        # An empty translation is one error, not also every fact and term it lacks.
        findings += [
            check_untranslated(source, target),
            check_wrong_language(target, target_language=target_language, source_language=source_language),
            check_repetition(source, target),
            check_facts(source, target),
            check_names(source, target),
            check_glossary(source, target, glossary),
            check_length_ratio(source, target),
        ]
    findings += check_repairs(repairs)
    return Segment(source=source.text, target=target.text, source_language=source_language, target_language=target_language,
                   origin=origin, model=model, locations=(location,), findings=tuple(f for f in findings if f is not None))


# -- helpers -------------------------------------------------------------------------------


def _without_spans(text: Text) -> str:
    """The text with every marked span (name, fact, term, link) replaced by a space."""
    return _blank_spans(text, lambda span: True)


def _blank_spans(text: Text, blank: Callable[[Any], bool]) -> str:
    pieces = [" " if span is not None and blank(span) else piece for piece, span in text.spanned()]
    return "".join(pieces)


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split())


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def _whole_word(term: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(rf"(?<![\w]){body}(?![\w])")


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _loop(text: str) -> str | None:
    """A group of one to four words repeated REPEATS times or more in a row, or None."""
    words = [w.casefold() for w in _WORD.findall(text)]
    for size in range(1, 5):
        for start in range(0, len(words) - size * REPEATS + 1):
            group = words[start : start + size]
            if all(words[start + k * size : start + (k + 1) * size] == group for k in range(1, REPEATS)):
                return " ".join(group)
    return None


def _langid_code(language: str) -> str:
    tag = language.replace("_", "-").lower()
    if tag in _LANGID_ALIASES:
        return _LANGID_ALIASES[tag]
    code = tag.split("-")[0]
    return _LANGID_ALIASES.get(code, code)


def _name(code: str) -> str:
    """The language's English name ("German"), from CLDR."""
    if code == "zxx":
        return "no language"
    return _english_names().get(code, code)


@functools.cache
def _english_names() -> Mapping[str, str]:
    return Locale("en").languages


@functools.cache
def _identifier(languages: frozenset[str] | None) -> Any:
    """py3langid's identifier with normalized probabilities, over ``languages`` or all it knows."""
    from py3langid import langid

    if hasattr(langid.LanguageIdentifier, "from_model_file"):  # py3langid 0.4
        identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    else:  # py3langid 0.3
        identifier = langid.LanguageIdentifier.from_pickled_model(langid.MODEL_FILE, norm_probs=True)
    if languages is not None:
        identifier.set_languages(sorted(languages))
    return identifier


def _labels() -> frozenset[str]:
    return frozenset(_identifier(None).nb_classes)
