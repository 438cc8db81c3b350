"""presskit.toml (toolkit.config) and branded rendering (toolkit.render.branding)."""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_render import HEADLINE, ISSUER, build_sample_release

from toolkit.config import Branding, ConfigError, find_config, load_config, read_config
from toolkit.errors import PressToolkitError
from toolkit.model import Boilerplate, Contact, Release, Text
from toolkit.render.branding import apply_branding, branding_css
from toolkit.render.fetch import FetchRefused, SafeURLFetcher
from toolkit.render.html import render_html, render_sheet_html
from toolkit.render.pdf import _fetcher, render_pdf

pikepdf = pytest.importorskip("pikepdf")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "presskit.toml"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#c8102e"/></svg>'


def write_config(folder: Path, text: str, name: str = "presskit.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tiny_png() -> bytes:
    """A 2×2 red PNG, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xc8\x10\x2e" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def branding() -> Branding:
    return read_config(EXAMPLE).branding


@pytest.fixture(scope="module")
def bare_release() -> Release:
    """The sample release without contacts or boilerplate of its own."""
    return replace(build_sample_release(), contacts=(), boilerplate=None)


@pytest.fixture(scope="module")
def branded_pdf(bare_release: Release, branding: Branding) -> bytes:
    return render_pdf(bare_release, branding=branding)


# --- loading -----------------------------------------------------------------------


def test_example_config_loads(branding: Branding) -> None:
    assert branding.organization == "Land Beispielland"
    assert branding.logo == (EXAMPLE.parent / "branding" / "logo.svg").resolve()
    assert branding.logo_alt == "Wappen des Landes Beispielland"
    assert branding.primary_color == "#1f3a5f" and branding.accent_color == "#c8102e"
    assert branding.address == "Horionplatz 1 · 40213 Düsseldorf"
    assert (
        branding.boilerplate is not None and len(branding.boilerplate.paragraphs) == 2
    )
    (contact,) = branding.contacts
    assert contact.emails == ("presse@beispielland.example",)  # de-obfuscated
    assert contact.phones[0].e164 == "+492118371134"
    assert load_config(EXAMPLE).source == EXAMPLE.resolve()


def test_defaults_without_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config = load_config()
    assert config.source is None and config.branding == Branding()
    assert config.branding.alt_text == ""


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, '[branding.colors]\nprimary = "#123456"\nsecondary = "#654321"\n'
    )
    with pytest.raises(
        ConfigError, match=r"branding\.colors\.secondary: unknown key"
    ) as caught:
        read_config(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, PressToolkitError)
    with pytest.raises(ConfigError, match=r"branding\.organisation: unknown key"):
        read_config(write_config(tmp_path, '[branding]\norganisation = "X"\n'))
    with pytest.raises(ConfigError, match=r"\bbrandig: unknown key"):
        read_config(write_config(tmp_path, '[brandig]\norganization = "X"\n'))


def test_wrong_types(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"branding\.colors: expected a table, not a number"
    ):
        read_config(write_config(tmp_path, "[branding]\ncolors = 5\n"))
    with pytest.raises(
        ConfigError, match=r"branding\.colors\.primary: expected a colour"
    ):
        read_config(write_config(tmp_path, "[branding.colors]\nprimary = 0x1f3a5f\n"))
    with pytest.raises(
        ConfigError, match=r"branding\.organization: expected a string, not a boolean"
    ):
        read_config(write_config(tmp_path, "[branding]\norganization = true\n"))
    with pytest.raises(
        ConfigError,
        match=r"branding\.contacts\[0\]\.phone: expected a string or a list",
    ):
        read_config(
            write_config(tmp_path, "[[branding.contacts]]\nphone = 2118371134\n")
        )
    with pytest.raises(ConfigError, match=r"branding\.address: must be a single line"):
        read_config(write_config(tmp_path, '[branding]\naddress = "a\\nb"\n'))


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[branding]\norganization = "Land\n')
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line 2") as caught:
        read_config(path)
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize(
    "color",
    ["red; } body { display:none", "red", "#12345", "#1234567", "#ggg", "#fff;"],
)
def test_bad_colours_are_rejected(tmp_path: Path, color: str) -> None:
    path = write_config(
        tmp_path, f"[branding.colors]\naccent = {color!r}\n".replace("'", '"')
    )
    with pytest.raises(
        ConfigError,
        match=r"branding\.colors\.accent: expected a colour as #rgb or #rrggbb",
    ):
        read_config(path)
    with pytest.raises(ValueError):
        Branding(primary_color=color)


def test_colours_reach_css_only_as_validated_hex() -> None:
    assert (
        str(branding_css(Branding(primary_color="#ABC")))
        == ":root { --accent: #abc; --brand-accent: #c8102e; }"
    )


def test_logo_must_exist_and_be_svg_or_png(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError,
        match=r"branding\.logo: the logo file .*missing\.svg.* does not exist",
    ):
        read_config(write_config(tmp_path, '[branding]\nlogo = "missing.svg"\n'))
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    with pytest.raises(
        ConfigError, match=r"branding\.logo: the logo must be an SVG or PNG"
    ):
        read_config(write_config(tmp_path, '[branding]\nlogo = "logo.gif"\n'))
    (tmp_path / "fake.png").write_text(SVG)
    with pytest.raises(ConfigError, match=r"is not a PNG file"):
        read_config(write_config(tmp_path, '[branding]\nlogo = "fake.png"\n'))


def test_logo_is_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf" / "art").mkdir(parents=True)
    (tmp_path / "conf" / "art" / "logo.svg").write_text(SVG)
    path = write_config(
        tmp_path / "conf", '[branding]\norganization = "Amt"\nlogo = "art/logo.svg"\n'
    )
    monkeypatch.chdir(tmp_path)
    branding = read_config(path).branding
    assert branding.logo == (tmp_path / "conf" / "art" / "logo.svg").resolve()
    assert branding.alt_text == "Amt"  # logo_alt defaults to the organization


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "press-toolkit").mkdir(parents=True)
    user = write_config(xdg / "press-toolkit", '[branding]\norganization = "User"\n')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    assert find_config() == user
    assert load_config().branding.organization == "User"

    write_config(work, '[branding]\norganization = "Cwd"\n')
    assert load_config().branding.organization == "Cwd"

    explicit = write_config(
        tmp_path, '[branding]\norganization = "Explicit"\n', name="other.toml"
    )
    assert load_config(explicit).branding.organization == "Explicit"
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml")

    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (work / "presskit.toml").unlink()
    assert find_config() is None
    home_config = tmp_path / "home" / ".config" / "press-toolkit"
    home_config.mkdir(parents=True)
    write_config(home_config, '[branding]\norganization = "Home"\n')
    assert load_config().branding.organization == "Home"


# --- applying -------------------------------------------------------------------------


def test_defaults_fill_only_what_is_missing(
    bare_release: Release, branding: Branding
) -> None:
    filled = apply_branding(bare_release, branding)
    assert (
        filled.boilerplate == branding.boilerplate
        and filled.contacts == branding.contacts
    )
    own = build_sample_release()
    assert own.contacts and own.boilerplate
    assert apply_branding(own, branding) == own
    assert apply_branding(bare_release, None) is bare_release


def test_no_branding_renders_exactly_as_before() -> None:
    release = build_sample_release()
    assert render_html(release, branding=None) == render_html(release)
    html = render_html(release)
    assert (
        'class="letterhead"' in html
        and "logo" not in html
        and "--brand-accent" not in html
    )


# --- rendering ----------------------------------------------------------------------------


def test_pdf_shows_sender_address_and_default_texts(
    branded_pdf: bytes, branding: Branding
) -> None:
    reader = PdfReader(BytesIO(branded_pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Land Beispielland" in text
    assert "Horionplatz 1 · 40213 Düsseldorf" in text
    # The footer carries sender and address on every page.
    for page in reader.pages:
        assert "Land Beispielland · Horionplatz 1" in " ".join(
            page.extract_text().split()
        )
    assert "Über das Land Beispielland" in text
    assert "Erika Mustermann" in text and "presse@beispielland.example" in text
    # The release's own issuer stays the document author.
    assert reader.metadata.author == ISSUER


def test_pdf_keeps_the_release_own_contacts(branding: Branding) -> None:
    release = build_sample_release()
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(BytesIO(render_pdf(release, branding=branding))).pages
    )
    assert "Erika Mustermann" not in text and "Über das Land Beispielland" not in text
    assert release.contacts[0].person in text


def _figures_with_alt(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    """(alt text, MCID) of every /Figure in the structure tree that has /Alt."""
    found: list[tuple[str, int]] = []
    stack: list[object] = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                kids = node.K if isinstance(node.K, pikepdf.Array) else [node.K]
                found.extend(
                    (str(node.Alt), int(kid)) for kid in kids if isinstance(kid, int)
                )
            if "/K" in node and node.get("/Type") != "/Page":
                stack.append(node.K)
    return found


def _marked_content(page: pikepdf.Page, mcid: int) -> bytes:
    contents = page.Contents
    data = (
        b"".join(part.read_bytes() for part in contents)
        if isinstance(contents, pikepdf.Array)
        else contents.read_bytes()
    )
    match = re.search(
        rb"/Figure\s*<<\s*/MCID %d\s*>>\s*BDC(.*?)EMC" % mcid, data, re.DOTALL
    )
    assert match, f"no /Figure marked content with MCID {mcid}"
    return match.group(1)


def test_pdf_draws_the_svg_logo_as_a_tagged_figure_with_alt(branded_pdf: bytes) -> None:
    pdf = pikepdf.open(BytesIO(branded_pdf))
    figures = _figures_with_alt(pdf)
    alts = [alt for alt, _ in figures]
    assert "Wappen des Landes Beispielland" in alts
    mcid = figures[alts.index("Wappen des Landes Beispielland")][1]
    # WeasyPrint 70 draws SVG as vector paths inside the figure's marked content
    # (no XObject): the red dot of the example logo, #c8102e, is filled there.
    drawn = _marked_content(pdf.pages[0], mcid)
    assert b"0.784314 0.062745 0.180392 rg" in drawn


def test_pdf_embeds_a_png_logo_as_an_image_xobject(
    tmp_path: Path, bare_release: Release
) -> None:
    (tmp_path / "logo.png").write_bytes(tiny_png())
    path = write_config(
        tmp_path, '[branding]\norganization = "Amt X"\nlogo = "logo.png"\n'
    )
    pdf = pikepdf.open(
        BytesIO(render_pdf(bare_release, branding=read_config(path).branding))
    )
    images = [
        x
        for x in pdf.pages[0].Resources.get("/XObject", {}).values()
        if x.get("/Subtype") == "/Image"
    ]
    assert any(int(image.Width) == 2 and int(image.Height) == 2 for image in images)
    assert "Amt X" in [alt for alt, _ in _figures_with_alt(pdf)]


def test_fetcher_allows_the_logo_file_not_its_folder(
    tmp_path: Path, branding: Branding
) -> None:
    fetcher = _fetcher(None, branding)
    assert branding.logo is not None
    fetcher.fetch(branding.logo.as_uri())  # served, not refused
    assert fetcher.refused == []
    neighbour = branding.logo.parent.parent / "presskit.toml"
    with pytest.raises(FetchRefused):
        fetcher.fetch(neighbour.as_uri())
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "logo.svg").write_text(SVG)
    fetcher = SafeURLFetcher([], files=[tmp_path / "logo.svg"])
    with pytest.raises(FetchRefused):
        fetcher.fetch((tmp_path / "secret.txt").as_uri())
    assert _fetcher(None).files == frozenset()


def test_release_text_cannot_reach_the_logo_folder(
    tmp_path: Path, branding: Branding
) -> None:
    """A release image pointing next to the logo is still refused: only the logo file is allowed."""
    from toolkit.model import Image

    assert branding.logo is not None
    target = branding.logo.parent.parent / "kulturnacht.md"
    release = replace(
        build_sample_release(), image=Image(src=target.as_uri(), alt=Text.plain("x"))
    )
    fetcher = _fetcher(tmp_path, branding)
    render_pdf(release, branding=branding, assets_dir=tmp_path, url_fetcher=fetcher)
    assert all(
        not url.startswith("file:") or "logo.svg" not in url for url in fetcher.refused
    )
    assert target.as_uri() not in render_sheet_html(
        release, assets_dir=tmp_path, branding=branding
    )


def test_html_page_inlines_the_logo_with_alt_text(
    bare_release: Release, branding: Branding
) -> None:
    html = render_html(bare_release, branding=branding)
    match = re.search(r'<img class="logo" src="([^"]+)" alt="([^"]*)">', html)
    assert match
    src, alt = match.groups()
    assert src.startswith("data:image/svg+xml;charset=utf-8,%3Csvg")
    assert alt == "Wappen des Landes Beispielland"
    assert "file:" not in html
    assert ":root { --accent: #1f3a5f; --brand-accent: #c8102e; }" in html
    assert "Horionplatz 1 · 40213 Düsseldorf" in html
    assert '<p class="issuer">Land Beispielland</p>' in html
    assert "Über das Land Beispielland" in html and "Erika Mustermann" in html


def test_html_png_logo_is_base64(tmp_path: Path, bare_release: Release) -> None:
    (tmp_path / "logo.png").write_bytes(tiny_png())
    path = write_config(
        tmp_path, '[branding]\nlogo = "logo.png"\nlogo_alt = "Logo <Amt>"\n'
    )
    html = render_html(bare_release, branding=read_config(path).branding)
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html
    assert 'alt="Logo &lt;Amt&gt;"' in html


def test_sheet_references_the_logo_by_file_url(
    bare_release: Release, branding: Branding
) -> None:
    assert branding.logo is not None
    sheet = render_sheet_html(bare_release, branding=branding)
    assert f'src="{branding.logo.as_uri()}"' in sheet
    assert HEADLINE in sheet
    # The sender replaces the release's issuer in the letterhead, not as author.
    assert '<p class="issuer">Land Beispielland</p>' in sheet
    assert f'<meta name="author" content="{ISSUER}">' in sheet


def test_boilerplate_and_contacts_can_be_built_in_code() -> None:
    branding = Branding(
        organization="Amt",
        boilerplate=Boilerplate(paragraphs=(Text.plain("Standard."),)),
        contacts=(Contact(person="P. Erson"),),
    )
    release = replace(build_sample_release(), contacts=(), boilerplate=None)
    html = render_html(release, branding=branding)
    assert "Standard." in html and "P. Erson" in html
