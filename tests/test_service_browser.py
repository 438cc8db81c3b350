"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

Signs in with an API key, pastes the example release, ticks English, submits,
watches the job page update itself until the job is done, sees the preview of
the English PDF's first page and downloads that PDF. Playwright never
downloads a browser here: it launches ``/usr/bin/chromium`` (``apt-get install
chromium``); without it the test is skipped, saying so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service import KEY, RELEASE, SLUG, Server, running_server

CHROMIUM = Path("/usr/bin/chromium")
#: Set to a folder to keep screenshots of the pages the test sees (to look at them).
SCREENSHOTS = os.environ.get("PRESSKIT_SCREENSHOTS")

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def server(installed_pairs: object, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser-service"), argos_home, keys=(KEY,)) as running:
        yield running


def test_a_press_officer_translates_a_release_on_the_web_page(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            context = browser.new_context(locale="en-GB", accept_downloads=True)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(f"{message.text} ({message.location})") if message.type == "error" else None)

            page.goto(server.url + "/")
            expect(page).to_have_url(server.url + "/login")
            page.get_by_label("API key").fill(KEY)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Translate and typeset a press release")).to_be_visible()

            # es is configured, but only de→en and en→fr are installed: Spanish is not offered, and the page says whom to ask.
            expect(page.get_by_role("checkbox")).to_have_count(3)
            expect(page.get_by_label("Spanish")).to_have_count(0)
            expect(page.get_by_text("Not available at the moment: Spanish. Ask your IT/administrator to install the "
                                    "German→Spanish translation model.")).to_be_visible()

            if SCREENSHOTS:
                page.screenshot(path=str(Path(SCREENSHOTS) / "form.png"), full_page=True)
            page.get_by_label("Paste the release").fill(RELEASE.read_text("utf-8"))
            page.get_by_label("English").check()
            page.get_by_role("button", name="Translate and typeset").click()
            page.wait_for_url(re.compile(r".*/jobs/[0-9a-f]{32}$"))

            # The page refreshes itself (fetch, no reload) until the job is done.
            expect(page.locator("[data-state]")).to_have_attribute("data-state", "done", timeout=60_000)
            expect(page.get_by_role("heading", name="Landesregierung gibt Startschuss für das Wasserstoff-Kernnetz Westfalen")).to_be_visible()
            english = page.locator("#language-en")
            expect(english).to_contain_text("Translation: de→en direct")
            expect(english.get_by_text("Quality checks")).to_be_visible()
            # The findings are folded away until asked for, and say where in words, not as internal paths.
            findings = english.locator("table.findings")
            if findings.count():
                expect(findings).to_be_hidden()
                english.get_by_text("Quality checks").click()
                expect(findings).to_be_visible()
                places = findings.locator("tbody tr td:first-child").all_inner_texts()
                assert places and not [place for place in places if "[" in place or "." in place], places
                assert any(place.startswith(("Headline", "Paragraph", "Subheadline")) for place in places), places

            preview = english.get_by_role("img", name="First page of the PDF (English)")
            expect(preview).to_be_visible()
            page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=preview.element_handle())
            assert preview.evaluate("image => image.naturalWidth") == 640

            if SCREENSHOTS:
                page.screenshot(path=str(Path(SCREENSHOTS) / "job.png"), full_page=True)
            with page.expect_download() as download_info:
                english.get_by_role("link", name="PDF (print)").click()
            download = download_info.value
            assert download.suggested_filename == f"{SLUG}-en.pdf"
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            assert saved.read_bytes().startswith(b"%PDF-")
            assert errors == []
        finally:
            browser.close()
