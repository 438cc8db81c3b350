"""Glossaries, do-not-translate lists and marking their terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES

from toolkit.errors import PressToolkitError
from toolkit.model import Span, SpanKind, Text
from toolkit.translate.glossary import (
    Glossary,
    GlossaryError,
    load_do_not_translate,
    load_glossary,
    mark_terms,
    merge,
)

DE_EN = {"source_language": "de", "target_language": "en"}


def marked(text: Text) -> list[tuple[str, str, str | None]]:
    return [(text.text[s.start : s.end], s.kind.value, s.value) for s in text.spans]


def glossary(terms: dict[str, str], keep: set[str] = frozenset()) -> Glossary:
    return Glossary(**DE_EN, terms=terms, do_not_translate=frozenset(keep))


# -- loading CSV ------------------------------------------------------------------------------


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_csv_with_commas(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.csv",
        'source,target,note\nStaatskanzlei,State Chancellery,\n"Rheinisches  Revier","Rhenish mining area","Region, west"\n',
    )
    g = load_glossary(path, **DE_EN)
    assert (g.source_language, g.target_language) == ("de", "en")
    assert g.terms == {"Staatskanzlei": "State Chancellery", "Rheinisches Revier": "Rhenish mining area"}
    assert g.do_not_translate == frozenset()


def test_csv_with_semicolons_bom_and_crlf(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.csv",
        "Source;Target;Note\r\n# Titel\r\nMinisterpräsidentin;ministre-présidente;\r\n\r\nStaatskanzlei;chancellerie d’État;Sitz, Düsseldorf\r\n",
        bom=True,
    )
    g = load_glossary(path, source_language="de", target_language="fr")
    assert g.terms == {"Ministerpräsidentin": "ministre-présidente", "Staatskanzlei": "chancellerie d’État"}


def test_csv_with_language_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "de;en;fr\nKernnetz;core network;réseau central\nLandtag;state parliament;\n")
    assert load_glossary(path, **DE_EN).terms == {"Kernnetz": "core network", "Landtag": "state parliament"}
    # A term not yet translated into the requested language is left out.
    assert load_glossary(path, source_language="de", target_language="fr").terms == {"Kernnetz": "réseau central"}


def test_bad_header_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "# Glossar der Staatskanzlei\n\nDeutsch,Englisch\nStaatskanzlei,State Chancellery\n")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path, **DE_EN)
    assert str(caught.value).startswith(f"{path}:3: the header 'Deutsch,Englisch' does not name a 'source' and a 'target' column")
    assert isinstance(caught.value, PressToolkitError) and caught.value.line == 3


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("source,target\nKernnetz,core network\nStaatskanzlei,\n", 3, "'Staatskanzlei' has no target term"),
        ("source,target\n,core network\n", 2, "has no source term"),
        ("source,target\nKernnetz,core network\nKernnetz,backbone\n", 3, "on line 2 and as 'backbone' here"),
        ("source,target\nKernnetz,core network,zu viel\n", 2, "3 cells, but the header has 2 columns"),
        ("source,target\nKernnetz,\"core network\n", 2, "not valid CSV"),
    ],
    ids=["no-target", "no-source", "conflict", "too-many-cells", "unclosed-quote"],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, content: str, line: int, problem: str) -> None:
    path = write(tmp_path / "g.csv", content)
    with pytest.raises(GlossaryError, match=problem) as caught:
        load_glossary(path, **DE_EN)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_same_term_twice_with_same_translation_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "source,target\nKernnetz,core network\nKernnetz , core  network\n")
    assert load_glossary(path, **DE_EN).terms == {"Kernnetz": "core network"}


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("source,target\nStaatskanzlei,State Chancellery\nLandesregierung,Länderregierung\n".encode("cp1252"))
    with pytest.raises(GlossaryError, match=r"g\.csv:3: not UTF-8"):
        load_glossary(path, **DE_EN)


def test_empty_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="empty"):
        load_glossary(write(tmp_path / "empty.csv", "\n# nur ein Kommentar\n"), **DE_EN)
    with pytest.raises(GlossaryError, match="missing.csv: cannot read"):
        load_glossary(tmp_path / "missing.csv", **DE_EN)
    with pytest.raises(GlossaryError, match="unknown glossary format '.xlsx'"):
        load_glossary(tmp_path / "g.xlsx", **DE_EN)


def test_example_glossaries_load() -> None:
    english = load_glossary(EXAMPLES / "glossary-de-en.csv", **DE_EN)
    french = load_glossary(EXAMPLES / "glossary-de-fr.csv", source_language="de", target_language="fr")
    assert english.terms["Ministerpräsidentin"] == "Minister-President"
    assert english.terms["Staatskanzlei"] == "State Chancellery"
    assert english.terms["Rheinisches Revier"] == "Rhenish mining area"
    assert english.terms["Sperrfrist"] == "embargo"
    assert french.terms["Staatskanzlei"] == "chancellerie d’État"
    assert french.terms["Ministerpräsident"] == "ministre-président"
    assert set(english.terms) == set(french.terms)
    keep = load_do_not_translate(EXAMPLES / "do-not-translate.txt")
    assert {"Westfälische Ferngas AG", "Wasserstoff.Westfalen", "Kunstverein Auenbrück"} <= keep
    assert not any(entry.startswith("#") for entry in keep)


# -- loading TBX ------------------------------------------------------------------------------

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="de">
  <martifHeader><fileDesc><sourceDesc><p>Terminologie der Staatskanzlei</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <langSet xml:lang="de-DE"><tig><term>Staatskanzlei</term></tig></langSet>
      <langSet xml:lang="en-GB"><tig><term>State Chancellery</term></tig></langSet>
      <langSet xml:lang="fr-FR"><tig><term>chancellerie d’État</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="de">
        <tig><term>Ministerpräsident</term></tig>
        <tig><term>MP</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="en">
        <tig><term>Prime Minister</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <tig><term>Minister-President</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="c3">
      <langSet xml:lang="de"><tig><term>Kernnetz</term></tig></langSet>
      <langSet xml:lang="fr"><tig><term>réseau central</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx(tmp_path: Path) -> None:
    path = write(tmp_path / "terms.tbx", TBX)
    assert load_glossary(path, **DE_EN).terms == {"Staatskanzlei": "State Chancellery", "Ministerpräsident": "Minister-President"}
    assert load_glossary(path, source_language="de", target_language="fr").terms == {
        "Staatskanzlei": "chancellerie d’État",
        "Kernnetz": "réseau central",
    }


def test_broken_tbx_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "terms.tbx", TBX.replace("</termEntry>\n    <termEntry id=\"c3\">", "<termEntry id=\"c3\">"))
    with pytest.raises(GlossaryError, match=r"terms\.tbx:\d+: not valid XML"):
        load_glossary(path, **DE_EN)
    with pytest.raises(GlossaryError, match="not a TBX file"):
        load_glossary(write(tmp_path / "other.tbx", "<?xml version='1.0'?><tmx version='1.4'><body/></tmx>"), **DE_EN)


# -- do-not-translate -----------------------------------------------------------------------------


def test_do_not_translate_list(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dnt.txt",
        "# Firmen\nWestfälische Ferngas AG\n\n   Kino am  Deich  \r\nWasserstoff.Westfalen\n# Ende\n",
        bom=True,
    )
    assert load_do_not_translate(path) == {"Westfälische Ferngas AG", "Kino am Deich", "Wasserstoff.Westfalen"}


# -- merge ----------------------------------------------------------------------------------------


def test_merge_later_wins() -> None:
    general = glossary({"Kernnetz": "core network", "Staatskanzlei": "State Chancellery", "Aue II": "Aue 2"}, {"Kino am Deich"})
    project = glossary({"Kernnetz": "backbone network", "Kino am Deich": "Dyke Cinema"}, {"Aue II"})
    merged = merge(general, project)
    assert merged.terms == {"Kernnetz": "backbone network", "Staatskanzlei": "State Chancellery", "Kino am Deich": "Dyke Cinema"}
    assert merged.do_not_translate == {"Aue II"}
    assert merge(general) == general
    with pytest.raises(ValueError, match="different language pairs"):
        merge(general, Glossary(source_language="de", target_language="fr", terms={}))
    with pytest.raises(ValueError):
        merge()


def test_glossary_is_a_hashable_value() -> None:
    a = glossary({"Kernnetz": "core network"}, {"Aue II"})
    b = glossary({"Kernnetz": "core network"}, {"Aue II"})
    assert a == b and hash(a) == hash(b)
    with pytest.raises(TypeError):
        a.terms["Kernnetz"] = "x"  # type: ignore[index]


# -- mark_terms -------------------------------------------------------------------------------------


def test_longest_match_first() -> None:
    g = glossary({"Kernnetz": "core network", "Wasserstoff-Kernnetz": "hydrogen core network", "Wasserstoff": "hydrogen"})
    text = mark_terms(Text.plain("Das Wasserstoff-Kernnetz verbindet. Das Kernnetz wächst. Wasserstoff kommt."), g)
    assert marked(text) == [
        ("Wasserstoff-Kernnetz", "term", "hydrogen core network"),
        ("Kernnetz", "term", "core network"),
        ("Wasserstoff", "term", "hydrogen"),
    ]


def test_longest_match_wins_over_an_earlier_shorter_one() -> None:
    g = glossary({"Rheinisches Revier": "Rhenish mining area", "Strukturwandel im Rheinischen": "x", "Revier": "district"})
    text = mark_terms(Text.plain("Der Strukturwandel im Rheinisches Revier."), g)
    # "Strukturwandel im Rheinischen" does not occur (whole words); the two-word term beats "Revier".
    assert marked(text) == [("Rheinisches Revier", "term", "Rhenish mining area")]


def test_whole_words_only() -> None:
    g = glossary({"Staatskanzlei": "State Chancellery", "Ministerpräsident": "Minister-President", "Kernnetz": "core network"})
    text = mark_terms(
        Text.plain("Die Staatskanzleien, die Ministerpräsidentin und der Kernnetzbetreiber; der Ministerpräsident (Staatskanzlei)."),
        g,
    )
    assert marked(text) == [("Ministerpräsident", "term", "Minister-President"), ("Staatskanzlei", "term", "State Chancellery")]
    assert text.spans[0].start == text.text.index("Ministerpräsident (")


def test_case_sensitive() -> None:
    text = mark_terms(Text.plain("Der Landtag tagt; der landtag nicht."), glossary({"Landtag": "state parliament"}))
    assert marked(text) == [("Landtag", "term", "state parliament")]


def test_whitespace_inside_a_term_is_flexible() -> None:
    text = mark_terms(Text.plain("Im Rheinisches\nRevier und im Rheinisches Revier."), glossary({"Rheinisches Revier": "Rhenish mining area"}))
    assert [s.value for s in text.spans] == ["Rhenish mining area", "Rhenish mining area"]


def test_never_overlaps_an_existing_person_span() -> None:
    source = Text.plain("Ministerpräsident Hendrik Landtag und der Landtag beraten.").mark("Hendrik Landtag", SpanKind.PERSON)
    g = glossary({"Landtag": "state parliament", "Ministerpräsident Hendrik": "x", "Ministerpräsident": "Minister-President"})
    text = mark_terms(source, g)
    assert marked(text) == [
        ("Ministerpräsident", "term", "Minister-President"),
        ("Hendrik Landtag", "person", None),
        ("Landtag", "term", "state parliament"),
    ]
    assert text.spans[1] == source.spans[0]


def test_do_not_translate_spans() -> None:
    g = glossary(
        {"Ferngas": "long-distance gas", "Kino": "cinema", "Kernnetz": "core network"},
        {"Westfälische Ferngas AG", "Kino am Deich", "Wasserstoff.Westfalen", "Kernnetz"},
    )
    text = mark_terms(
        Text.plain("Die Westfälische Ferngas AG fördert mit „Wasserstoff.Westfalen“ das Kino am Deich und das Kernnetz. Ferngas!"), g
    )
    assert marked(text) == [
        ("Westfälische Ferngas AG", "protected", None),
        ("Wasserstoff.Westfalen", "protected", None),
        ("Kino am Deich", "protected", None),
        ("Kernnetz", "protected", None),  # do-not-translate wins over a term for the same string
        ("Ferngas", "term", "long-distance gas"),
    ]


def test_spans_stay_sorted_with_existing_ones() -> None:
    source = Text(
        text="Am 22. Mai eröffnet die Staatskanzlei das Kino am Deich.",
        spans=(Span(start=3, end=10, kind=SpanKind.DATE, value="2025-05-22"),),
    )
    text = mark_terms(source, glossary({"Staatskanzlei": "State Chancellery"}, {"Kino am Deich"}))
    assert marked(text) == [("22. Mai", "date", "2025-05-22"), ("Staatskanzlei", "term", "State Chancellery"), ("Kino am Deich", "protected", None)]


def test_nothing_to_mark_returns_the_text() -> None:
    source = Text.plain("Keine Begriffe hier.")
    assert mark_terms(source, glossary({"Kernnetz": "core network"})) is source


def test_example_release_with_example_glossary() -> None:
    g = merge(
        load_glossary(EXAMPLES / "glossary-de-en.csv", **DE_EN),
        Glossary(**DE_EN, terms={}, do_not_translate=load_do_not_translate(EXAMPLES / "do-not-translate.txt")),
    )
    paragraph = next(p for p in (EXAMPLES / "wasserstoff-netz.txt").read_text(encoding="utf-8").split("\n\n") if "Netzbetreiber investieren" in p)
    found = marked(mark_terms(Text.plain(paragraph), g))
    assert ("Ministerpräsidentin", "term", "Minister-President") in found
    assert ("Wasserstoff-Kernnetz", "term", "hydrogen core network") in found
    assert ("Förderprogramm", "term", "funding programme") in found
    assert ("Wasserstoff.Westfalen", "protected", None) in found
