"""Read a release from a web page saved from a press office's site (.html, .htm).

Nothing is fetched: the page is read from the file, trafilatura and htmldate
get the parsed page (never a URL), and a photo is used only when the saved
page keeps it as a local file.

1. **Metadata first**, from the whole page: the headline (the first
   ``<h1>`` of the article, else JSON-LD ``NewsArticle.headline``, else
   ``og:title``), the date (JSON-LD ``datePublished``, ``<time datetime>``,
   ``article:published_time``, else htmldate's reading of the page) and the
   first ``<figure>`` (its ``<figcaption>`` is the caption, "(Foto: …)" the
   credit).
2. **Residue out**: navigation, breadcrumbs, cookie and consent banners,
   share buttons, related links, forms and the page's own header and footer
   are removed before extraction, so that whatever trafilatura keeps, they
   never reach the release.
3. **Main content** with trafilatura (as XML, so headings, paragraphs,
   lists, quotations and tables keep their shape); a ``<blockquote>``
   whose ``<footer>`` or ``<cite>`` names the speaker becomes
   "Speaker: „…“", the form the plain-text reader knows.
4. The plain-text reader reads the text; the metadata's headline and date
   stand in when the text has none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..errors import ReadError
from ..model import Image, Release, Text
from .container import library
from .source import read_source
from .structured import Hints, blocks_to_text, release_from_text, table_row

__all__ = ["PageText", "page_text", "parse_html", "read_html"]

#: Elements that are never release text.
_NOISE_TAGS = ("nav", "aside", "form", "button", "dialog", "script", "style", "noscript", "template", "iframe", "svg",
               "select", "input", "label", "menu")
_NOISE_ROLES = ("navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "complementary")
_NOISE_NAMES = re.compile(
    r"cookie|consent|gdpr|dsgvo|breadcrumb|brotkrume|newsletter|social|share|sharing|teilen|related|pagination|"
    r"skip-?link|sr-only|visually-?hidden|print-?only",
    re.IGNORECASE,
)
_ARTICLE_TYPES = {"newsarticle", "article", "pressrelease", "reportagenewsarticle", "blogposting", "webpage"}
_OPENING_QUOTES = "„»“\"‚"
_TRAILING_CREDIT = re.compile(r"\s*\((?:foto|fotos|bild|bildnachweis|©)\s*:?\s*(?P<credit>[^)]+)\)\s*$|\s*(?:foto|bild|©)\s*:\s*(?P<after>[^.]+)$",
                              re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")


@dataclass(frozen=True, kw_only=True)
class PageText:
    """A page's release text, ready for the plain-text reader, and what its metadata says."""

    text: str
    hints: Hints


def read_html(path: str | Path, *, language: str = "de") -> Release:
    source = read_source(path)
    return parse_html(source.text, path=source.path, language=language)


def parse_html(html: str, *, path: Path | None = None, language: str = "de") -> Release:
    """Read a saved release page; ``path`` names it in messages and is where a saved photo is looked for."""
    page = page_text(html, path=path)
    return release_from_text(page.text, page.hints, path=path, language=language)


def page_text(html: str, *, path: Path | None = None) -> PageText:
    """The release text of a page and its metadata; the e-mail reader uses it for HTML mail."""
    tree = _parse(html, path)
    headline = _headline(tree)
    date = _date(tree, path)
    image = _figure(tree, path)
    _remove_residue(tree)
    _rewrite_blockquotes(tree)
    blocks = _main_blocks(tree, path)
    if not blocks:
        raise ReadError(path, "no release text found on the page (only navigation, banners or an empty article)")
    if headline and _normalized(blocks[0][0]) != _normalized(headline):
        blocks.insert(0, [headline])
    return PageText(text=blocks_to_text(blocks), hints=Hints(headline=headline, date=date, image=image))


def _parse(html: str, path: Path | None) -> Any:
    # lxml refuses a str with an encoding declaration; the text is decoded already, so drop it.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ReadError(path, f"is not a readable web page ({error})") from None
    return tree


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def _clean_text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


# -- metadata ---------------------------------------------------------------------


def _content_root(tree: Any) -> Any:
    for xpath in ("//article", "//main", "//*[@role='main']", "//body"):
        found = tree.xpath(xpath)
        if found:
            return found[0]
    return tree


def _headline(tree: Any) -> str | None:
    for h1 in _content_root(tree).xpath(".//h1") + tree.xpath("//h1"):
        text = _clean_text(h1)
        if text:
            return text
    article = _json_ld_article(tree)
    if article and isinstance(article.get("headline"), str) and article["headline"].strip():
        return " ".join(article["headline"].split())
    for xpath in ("//meta[@property='og:title']/@content", "//title/text()"):
        values = [" ".join(str(value).split()) for value in tree.xpath(xpath)]
        if values and values[0]:
            return _TITLE_SUFFIX.sub("", values[0]) if xpath.startswith("//title") else values[0]
    return None


def _date(tree: Any, path: Path | None) -> dt.date | None:
    article = _json_ld_article(tree)
    candidates = [article.get("datePublished")] if article else []
    candidates += _content_root(tree).xpath(".//time/@datetime") + tree.xpath("//time/@datetime")
    candidates += tree.xpath("//meta[@property='article:published_time']/@content")
    for candidate in candidates:
        date = _iso_date(candidate)
        if date is not None:
            return date
    return _htmldate(tree, path)


def _iso_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value.strip()) < 10:
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def _htmldate(tree: Any, path: Path | None) -> dt.date | None:
    htmldate = library("htmldate", "htmldate", path or "page", "a web page")
    # The parsed tree, never a URL or a string that could look like one: htmldate fetches URLs.
    try:
        found = htmldate.find_date(_copy(tree), extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a date guess must not fail the read
        return None
    return _iso_date(found)


def _copy(tree: Any) -> Any:
    return lxml_html.document_fromstring(etree.tostring(tree, encoding="unicode"))


def _json_ld_article(tree: Any) -> dict[str, Any] | None:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for item in _json_objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(kind, str) and kind.lower() in _ARTICLE_TYPES for kind in kinds) and item.get("headline"):
                return item
    return None


def _json_objects(data: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 5:
        return
    if isinstance(data, dict):
        yield data
        yield from _json_objects(data.get("@graph"), depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _json_objects(item, depth + 1)


def _figure(tree: Any, path: Path | None) -> Image | None:
    """The first figure of the article: caption, credit and, when the saved page kept it, the photo's file."""
    # A figure holding a quotation is a quotation (its caption names the speaker), not a photo.
    figures = _content_root(tree).xpath(".//figure[.//img and not(.//blockquote)]")
    if not figures:
        return None
    figure = figures[0]
    captions = figure.xpath(".//figcaption")
    caption = _clean_text(captions[0]) if captions else ""
    credit = None
    match = _TRAILING_CREDIT.search(caption)
    if match:
        credit = (match["credit"] or match["after"]).strip()
        caption = caption[: match.start()].rstrip()
    image = figure.xpath(".//img")[0]
    alt = " ".join((image.get("alt") or "").split())
    src = _local_src(image.get("src") or "", path)
    for other in tree.xpath("//figure[.//img and not(.//blockquote)]"):
        other.drop_tree()  # captions are read here; none may reach the body
    if not (caption or src):
        return None
    return Image(caption=Text.plain(caption) if caption else None, credit=credit, src=src, alt=Text.plain(alt) if alt else None)


def _local_src(src: str, path: Path | None) -> str | None:
    """A relative image path that exists beside the saved page ("Seite_files/foto.jpg"), else None: nothing is fetched."""
    parts = urlsplit(src)
    if not src or parts.scheme or parts.netloc or src.startswith("/") or path is None:
        return None
    relative = unquote(parts.path)
    folder = path.parent.resolve()
    candidate = (folder / relative).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    return candidate.relative_to(folder).as_posix()


# -- residue ----------------------------------------------------------------------


def _remove_residue(tree: Any) -> None:
    doomed = []
    for element in tree.iter(etree.Element):
        if _is_residue(element):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        try:
            element.drop_tree()  # keeps the text that follows the element
        except ValueError:
            # That text holds a control character lxml will not join to its neighbour's: it is residue's too.
            parent.remove(element)


def _is_residue(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _NOISE_TAGS:
        return True
    if tag in ("header", "footer") and not element.xpath("ancestor::article or ancestor::blockquote"):
        return True  # the site's header and footer; an article's own header holds its headline
    if (element.get("role") or "").lower() in _NOISE_ROLES:
        return True
    if element.get("aria-hidden") == "true" or element.get("hidden") is not None:
        return True
    names = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("aria-label"))))
    return bool(names and _NOISE_NAMES.search(names)) and tag not in ("html", "body", "main", "article")


def _rewrite_blockquotes(tree: Any) -> None:
    """``<blockquote>„…“<footer>Name</footer></blockquote>`` → one paragraph "Name: „…“".

    The speaker may also stand in a ``<cite>``, or in the ``<figcaption>`` of a figure around the quotation.
    """
    for quote in tree.xpath("//blockquote"):
        speakers = quote.xpath(".//footer | .//cite") or quote.xpath("parent::figure/figcaption")
        speaker = _clean_text(speakers[0]).lstrip("—–-― ").strip() if speakers else ""
        for element in speakers:
            if element.getparent() is not None:
                element.drop_tree()
        text = _clean_text(quote)
        if not text:
            continue
        if speaker:
            if text[0] not in _OPENING_QUOTES:
                text = f"„{text}“"
            text = f"{speaker}: {text}"
        replacement = lxml_html.Element("p")
        replacement.text = text
        replacement.tail = quote.tail
        quote.getparent().replace(quote, replacement)


# -- main content --------------------------------------------------------------------


def _main_blocks(tree: Any, path: Path | None) -> list[list[str]]:
    trafilatura = library("trafilatura", "trafilatura", path or "page", "a web page")
    extracted = trafilatura.extract(
        tree, output_format="xml", include_comments=False, include_tables=True, include_images=False,
        include_links=False, include_formatting=False, favor_recall=True, deduplicate=False, with_metadata=False,
    )
    if not extracted:
        return _fallback_blocks(tree)
    document = etree.fromstring(extracted.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = document.find("main")
    return [block for element in (main if main is not None else []) for block in _xml_blocks(element)]


def _xml_blocks(element: Any) -> Iterator[list[str]]:
    """Blocks of lines from one element of trafilatura's XML."""
    tag = element.tag
    if tag in ("head", "p", "quote"):
        lines = _xml_lines(element)
        if lines:
            yield lines
    elif tag == "list":
        marker = "1. " if element.get("rend") == "ol" else "- "
        items = [" ".join(_xml_lines(item)) for item in element.iter("item")]
        lines = [marker + item for item in items if item]
        if lines:
            yield lines
    elif tag == "table":
        rows = [table_row([" ".join(_xml_lines(cell)) for cell in row.iter("cell")]) for row in element.iter("row")]
        lines = [f"- {row}" for row in rows if row]
        if lines:
            yield lines
    else:
        for child in element:
            yield from _xml_blocks(child)


def _xml_lines(element: Any) -> list[str]:
    for line_break in element.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    text = "".join(element.itertext())
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _fallback_blocks(tree: Any) -> list[list[str]]:
    """When trafilatura finds no main text (a very short page): the article's headings, paragraphs and list items."""
    blocks: list[list[str]] = []
    for element in _content_root(tree).xpath(".//h1|.//h2|.//h3|.//h4|.//p|.//li"):
        text = _clean_text(element)
        if text:
            blocks.append([f"- {text}" if element.tag == "li" else text])
    return blocks
