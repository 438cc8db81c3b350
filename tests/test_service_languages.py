"""What a press officer meets when models are missing or broken, and what time the page shows.

Real ``presskit serve`` processes on 127.0.0.1 (``tests/test_service.py``),
each with a packages folder of its own holding real fixture models
(``tests/argos_fixture.py``), so models can be installed, damaged and removed
while a service runs without touching the session's packages.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from argos_fixture import FixturePairs, build_argos_package
from test_service import (
    KEY,
    PRESSKIT,
    RELEASE,
    Server,
    free_port,
    running_server,
    service_env,
    submit,
    wait_for,
    worker_pids,
)

from toolkit.builder import BuildResult
from toolkit.errors import PressToolkitError
from toolkit.service.delivery import build_each

CHROMIUM = Path("/usr/bin/chromium")


def packages_with(folder: Path, pairs: FixturePairs, *chosen: str) -> Path:
    """A packages folder of its own holding copies of the session's installed ``chosen`` packages (``"de_en"``, ``"en_fr"``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        model = getattr(pairs, name)
        shutil.copytree(model.path, folder / model.path.name)
    return folder


def install_into(folder: Path, archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Install an ``.argosmodel`` into ``folder`` as ``presskit models install-file`` does."""
    from toolkit.translate.packages import install_file

    with monkeypatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(folder))
        install_file(archive)


@contextmanager
def signed_in(server: Server, language: str) -> Iterator[httpx.Client]:
    """A browser-like client signed in to the web page, asking for pages in ``language``."""
    with server.client(key=None, follow_redirects=True, headers={"Accept-Language": language}) as browser:
        browser.post("/login", data={"key": KEY, "csrf_token": csrf(browser.get("/login"))})
        yield browser


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def language_boxes(page: str) -> list[str]:
    return re.findall(r'name="languages" value="([^"]+)"', page)


@contextmanager
def paused(pids: Sequence[int]) -> Iterator[None]:
    """The worker processes stopped (SIGSTOP) for the block: a job submitted now waits in the queue."""
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


# --- which languages are offered --------------------------------------------------------------


def test_only_languages_with_an_installed_route_are_offered_and_a_new_model_counts_at_once(
    tmp_path: Path, installed_pairs: FixturePairs, monkeypatch: pytest.MonkeyPatch
) -> None:
    packages = packages_with(tmp_path / "packages", installed_pairs, "de_en")
    with running_server(tmp_path / "service", packages) as server, server.client() as client:
        languages = client.get("/api/v1/languages").json()
        assert languages["offered"] == ["de", "en"]
        assert languages["unavailable"] == [{"language": "fr", "missing": ["translate-en_fr"]},
                                            {"language": "es", "missing": ["translate-en_es"]}]
        with signed_in(server, "en") as browser:
            page = browser.get("/")
            assert language_boxes(page.text) == ["de", "en"]
            assert ("Not available at the moment: French. Ask your IT/administrator to install the German→French "
                    "translation model.") in page.text

        # Installed while the service runs (as `presskit models install-file` would): offered on the next request,
        # and the worker builds with it.
        shutil.copytree(installed_pairs.en_fr.path, packages / installed_pairs.en_fr.path.name)
        assert client.get("/api/v1/languages").json()["offered"] == ["de", "en", "fr"]
        with signed_in(server, "en") as browser:
            assert language_boxes(browser.get("/").text) == ["de", "en", "fr"]
        status = wait_for(client, submit(client, RELEASE.read_bytes(), languages="fr"))
        assert status["state"] == "done", status
        assert status["languages"][1]["route"].startswith("de→fr via en")


def test_a_language_without_a_route_is_refused_on_the_web_page_in_office_words(
    tmp_path: Path, installed_pairs: FixturePairs
) -> None:
    packages = packages_with(tmp_path / "packages", installed_pairs, "de_en", "en_fr")
    with running_server(tmp_path / "service", packages) as server, server.client() as client:
        with signed_in(server, "de-DE,de;q=0.9") as browser:
            form = browser.get("/")
            assert language_boxes(form.text) == ["de", "en", "fr"]
            assert ("Zurzeit nicht verfügbar: Spanisch. Bitten Sie Ihre IT bzw. Ihre Administration, das Übersetzungsmodell "
                    "Deutsch→Spanisch zu installieren.") in form.text
            # A form made before the model was removed, or by hand: refused, nothing queued.
            refused = browser.post("/jobs", data={"text": RELEASE.read_text("utf-8"), "languages": ["en", "es"],
                                                  "csrf_token": csrf(form)}, files={"file": ("", b"")})
        assert refused.status_code == 422
        assert ("Spanisch kann zurzeit nicht erstellt werden: Auf diesem Dienst ist kein Übersetzungsmodell von Deutsch "
                "nach Spanisch installiert. Bitten Sie Ihre IT bzw. Ihre Administration, das Übersetzungsmodell "
                "Deutsch→Spanisch zu installieren.") in refused.text
        assert "presskit" not in refused.text.replace("presskit_", "") and "translate-en_es" not in refused.text
        assert client.get("/api/v1/jobs").json()["jobs"] == []


# --- each language on its own ------------------------------------------------------------------


@pytest.fixture(scope="module")
def spanish_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("spanish"), source="en", target="es", seed=3)


def test_a_broken_and_a_removed_model_fail_their_languages_only(
    tmp_path: Path, installed_pairs: FixturePairs, spanish_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packages = packages_with(tmp_path / "packages", installed_pairs, "de_en", "en_fr")
    install_into(packages, spanish_package, monkeypatch)
    with running_server(tmp_path / "service", packages) as server, server.client() as client:
        assert client.get("/api/v1/languages").json()["offered"] == ["de", "en", "fr", "es"]
        with paused(worker_pids(server)):
            job_id = submit(client, RELEASE.read_bytes(), languages="en,fr,es")  # every route is installed now
            # After the submission, before the build: the French model is damaged, the Spanish one removed.
            (packages / installed_pairs.en_fr.path.name / "model" / "model.bin").write_bytes(b"not a CTranslate2 model")
            shutil.rmtree(packages / "translate-en_es")
        status = wait_for(client, job_id)

        assert status["state"] == "done", status
        states = {entry["language"]: entry for entry in status["languages"]}
        assert [states[code]["state"] for code in ("de", "en", "fr", "es")] == ["done", "done", "failed", "failed"]
        assert states["de"]["error"] is None and states["en"]["error"] is None
        assert states["fr"]["error"] == ("the de→fr translation model could not be used (it may be damaged; the service's "
                                         "log has the details); ask the service's administrator to reinstall it")
        assert states["es"]["error"] == ("no installed translation model translates de→es (missing: translate-en_es); "
                                         "ask the service's administrator to install it")
        assert str(packages) not in str(status)
        for code in ("de", "en"):
            names = {link["name"] for link in states[code]["files"]}
            assert names == {f"{code}.pdf", f"{code}.html", f"{code}.json"}
            assert client.get(f"/api/v1/jobs/{job_id}/files/{code}.pdf").content.startswith(b"%PDF-")
        assert states["fr"]["files"] == [] and states["es"]["files"] == []
        assert client.get(f"/api/v1/jobs/{job_id}/files/fr.pdf").status_code == 404
        assert states["en"]["qa"] is not None

        with signed_in(server, "de-DE") as browser:
            page = browser.get(f"/jobs/{job_id}").text
        assert ("Französisch konnte nicht erstellt werden: Das Übersetzungsmodell Deutsch→Französisch ließ sich nicht "
                "verwenden; es ist womöglich beschädigt. Bitten Sie Ihre IT bzw. Ihre Administration, das "
                "Übersetzungsmodell Deutsch→Französisch neu zu installieren.") in page
        assert ("Spanisch konnte nicht erstellt werden: Auf diesem Dienst ist kein Übersetzungsmodell von Deutsch nach "
                "Spanisch installiert. Bitten Sie Ihre IT bzw. Ihre Administration, das Übersetzungsmodell "
                "Deutsch→Spanisch zu installieren.") in page
        for internal in ("presskit models", "translate-en_", "model.bin", str(packages), "argosmodel"):
            assert internal not in page
        if CHROMIUM.is_file():
            _see_in_chromium(server, job_id)
    assert "cannot translate into fr" in server.output()


def _see_in_chromium(server: Server, job_id: str) -> None:
    """The job page in a real browser (English): the delivered languages' links, the failed ones' messages."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_context(locale="en-GB").new_page()
            page.goto(server.url + "/login")
            page.get_by_label("API key").fill(KEY)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Translate and typeset a press release")).to_be_visible()
            page.goto(f"{server.url}/jobs/{job_id}")
            expect(page.locator("#language-en").get_by_role("link", name="PDF (print)")).to_be_visible()
            expect(page.locator("#language-fr").get_by_role("alert")).to_have_text(
                "French could not be built: the German→French translation model could not be used; it may be damaged. "
                "Ask your IT/administrator to reinstall the German→French translation model.")
            expect(page.locator("#language-es").get_by_role("alert")).to_contain_text(
                "Ask your IT/administrator to install the German→Spanish translation model.")
            expect(page.locator("#language-fr").get_by_role("link")).to_have_count(0)
        finally:
            browser.close()


def test_a_language_that_cannot_be_typeset_is_left_out_and_the_others_built_together(tmp_path: Path) -> None:
    """The fallback of the worker's build: every language alone, then the ones that worked together again."""
    calls: list[tuple[str, ...]] = []

    def build_languages(languages: Sequence[str]) -> BuildResult:
        calls.append(tuple(languages))
        if "ar" in languages:
            raise PressToolkitError(f"{tmp_path}/job/ar.pdf: cannot be rendered")
        return BuildResult(slug="s", directory=tmp_path, files=(), manifest=tmp_path / "manifest.json", translations={})

    result, failed = build_each(["de", "en", "ar"], build_languages, job_id="job",
                                public=lambda message: message.replace(f"{tmp_path}/job/", ""))
    assert calls == [("de", "en", "ar"), ("de",), ("en",), ("ar",), ("de", "en")]
    assert result.directory == tmp_path
    assert {language: (failure.problem, failure.error) for language, failure in failed.items()} == {
        "ar": ("render_failed", "the ar files could not be typeset: ar.pdf: cannot be rendered")}
    with pytest.raises(PressToolkitError, match="cannot be rendered"):
        build_each(["ar"], build_languages, job_id="job", public=str)


# --- the office's time zone -------------------------------------------------------------------


def test_job_times_are_shown_in_the_office_time_zone(tmp_path: Path, installed_pairs: FixturePairs, argos_home: Path) -> None:
    with running_server(tmp_path, argos_home, extra='time_zone = "Europe/Berlin"\n') as server, server.client() as client:
        status = wait_for(client, submit(client, RELEASE.read_bytes(), languages="de"))
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        created = dt.datetime.fromisoformat(status["created"]).astimezone(berlin)
        finished = dt.datetime.fromisoformat(status["finished"]).astimezone(berlin)
        with signed_in(server, "de-DE") as browser:
            job_page = browser.get(f"/jobs/{status['id']}").text
            index = browser.get("/").text
        shown = f"{created:%d.%m.%y}, {created:%H:%M} {created.tzname()}"
        assert created.tzname() in ("CET", "CEST") and shown in job_page and shown in index
        assert f"{finished:%H:%M} {finished.tzname()}" in job_page
        assert " UTC" not in job_page


def test_an_unknown_time_zone_stops_the_service_naming_the_setting(tmp_path: Path, argos_home: Path) -> None:
    from test_service import write_config

    config = write_config(tmp_path, keys=(KEY,), extra='time_zone = "Europe/Bonn"\n')
    result = subprocess.run([str(PRESSKIT), "serve", "--port", str(free_port()), "--config", str(config)], cwd=tmp_path,
                            env=service_env(tmp_path, argos_home), capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert str(config) in result.stderr and "time_zone" in result.stderr
    assert "unknown time zone 'Europe/Bonn'" in result.stderr
