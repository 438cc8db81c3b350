"""How many facts the reader gets right on a folder of releases with expectations.

    python benchmarks/reader_bench.py tests/fixtures/releases tests/fixtures/plaintext [more folders …] [-v]

Each release ``NAME.txt`` (or .md) has ``NAME.expected.json`` beside it with
any of the keys ``headline``, ``date`` (ISO or null), ``place``, ``number``,
``embargo`` (ISO date, or an object with ``date``), ``speakers``, ``emails``,
``phones`` (E.164), or the richer form of ``tests/fixtures/plaintext``
(``quotes``, ``contacts``). Prints, per kind of fact, the share read
correctly, the facts invented (read but not expected), the refusals (a
release that could not be read at all) and the time per release. ``-v``
lists every miss.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from toolkit.errors import PressToolkitError
from toolkit.facts import mark_facts
from toolkit.model import Quote, Release, SpanKind, iter_texts
from toolkit.read import read_release

SCALARS = ("headline", "date", "place", "number", "embargo")
LISTS = ("speakers", "emails", "phones")


def expectations(data: dict[str, Any]) -> dict[str, Any]:
    """The expected facts in one shape, from either expectation format."""
    facts = {key: data[key] for key in SCALARS if key in data}
    if isinstance(facts.get("embargo"), dict):
        facts["embargo"] = facts["embargo"]["date"]
    if "speakers" in data:
        facts["speakers"] = data["speakers"]
    elif "quotes" in data:
        facts["speakers"] = sorted({quote["speaker"] for quote in data["quotes"] if quote.get("speaker")})
    for key in ("emails", "phones"):
        if key in data:
            facts[key] = data[key]
    if "contacts" in data:
        facts["emails"] = [email for contact in data["contacts"] for email in contact["emails"]]
        facts["phones"] = [phone for contact in data["contacts"]
                           for phone in contact["phones_e164"] + contact["fax_e164"] + contact["mobile_e164"]]
    return facts


def read_facts(release: Release) -> dict[str, Any]:
    """What reading (and the fact recognition every build runs next) gives: e-mails and phones in contacts and text."""
    emails = {email.lower() for contact in release.contacts for email in contact.emails}
    phones = {phone.e164 for contact in release.contacts for phone in contact.phones if phone.e164}
    for text in iter_texts(mark_facts(release)):
        emails |= {str(span.value).removeprefix("mailto:").lower() for span in text.spans if span.kind == SpanKind.EMAIL and span.value}
        phones |= {span.fact.e164 for span in text.spans if span.kind == SpanKind.PHONE and getattr(span.fact, "e164", None)}
    return {
        "headline": release.headline.text,
        "headline_variants": {release.headline.text}
        | ({f"{release.headline.text} / {release.subheadline[0].text}"} if release.subheadline else set()),
        "date": release.date.isoformat() if release.date else None,
        "place": release.place,
        "number": release.number,
        "embargo": release.embargo.date.isoformat() if release.embargo else None,
        "speakers": sorted({block.speaker.name for block in release.body if isinstance(block, Quote) and block.speaker}),
        "emails": sorted(emails),
        "phones": sorted(phones),
    }


def main(arguments: list[str]) -> int:
    verbose = "-v" in arguments
    folders = [Path(argument) for argument in arguments if argument != "-v"]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    invented: Counter[str] = Counter()
    refused: list[str] = []
    misses: list[str] = []
    releases = 0
    started = time.perf_counter()
    for folder in folders:
        for expected_path in sorted(folder.glob("*.expected.json")):
            stem = expected_path.name.removesuffix(".expected.json")
            sources = [path for path in folder.glob(stem + ".*") if not path.name.endswith(".json")]
            if not sources:
                continue
            releases += 1
            expected = expectations(json.loads(expected_path.read_text("utf-8")))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got = read_facts(read_release(sources[0]))
            except PressToolkitError as error:
                refused.append(f"{sources[0].name}: {error}")
                for key, value in expected.items():
                    total[key] += len(value) if key in LISTS else 1
                continue
            for key, value in expected.items():
                if key in LISTS:
                    wanted, found = {str(item).lower() for item in value}, {str(item).lower() for item in got[key]}
                    total[key] += len(wanted)
                    right[key] += len(wanted & found)
                    invented[key] += len(found - wanted)
                    if wanted != found:
                        misses.append(f"{sources[0].name}: {key} missing {sorted(wanted - found)} invented {sorted(found - wanted)}")
                elif key == "headline" and value is None:
                    continue  # the text has no headline line: the first sentence stands in, with a warning
                elif key == "headline" and value in got["headline_variants"]:
                    total[key] += 1
                    right[key] += 1  # "A / B" is read as headline A and subheadline B, by the project's convention
                else:
                    total[key] += 1
                    if " ".join(str(value).split()) == " ".join(str(got[key]).split()) or value == got[key]:
                        right[key] += 1
                    else:
                        misses.append(f"{sources[0].name}: {key} expected {value!r} got {got[key]!r}")
    elapsed = time.perf_counter() - started
    print(f"{releases} releases in {', '.join(map(str, folders))}; {len(refused)} refused; "
          f"{elapsed / max(releases, 1) * 1000:.0f} ms per release")
    for key in (*SCALARS, *LISTS):
        if total[key]:
            extra = f", {invented[key]} invented" if key in LISTS else ""
            print(f"  {key:9} {right[key]:4}/{total[key]:<4} {right[key] / total[key]:6.1%}{extra}")
    core = ("headline", "date", "emails", "phones")
    core_right, core_total = sum(right[key] for key in core), sum(total[key] for key in core)
    if core_total:
        print(f"  headline+date+e-mail+phone: {core_right}/{core_total} = {core_right / core_total:.1%}")
    for line in refused:
        print("  refused:", line)
    if verbose:
        for line in misses:
            print("  miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
