"""The LibreTranslate endpoints of ``presskit serve``: real servers on 127.0.0.1, real clients.

Two client libraries from PyPI are used as they are: ``libretranslatepy``
(languages, detection, translation) and ``libretranslate-aio`` (files, lists,
frontend settings, concurrent requests). The other tests send raw HTTP with
httpx to pin fields, status codes and the ``{"error": …}`` shape to
LibreTranslate's ``app.py``.

Translation goes through the tiny Argos fixture models (de→en, en→fr), whose
output is gibberish: the tests check structure and that the facts come back
intact and localized, never wording.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import EXAMPLES
from test_service import KEY, PRESSKIT, Server, free_port, service_env, write_config


PARAGRAPH = ("Die Landesregierung investiert 3,2 Milliarden Euro in das Netz. "
             "Fragen beantwortet die Pressestelle unter presse@beispiel.de oder 0211 837-1134.")
QA_VALUE = re.compile(r"(passed|failed|skipped); errors=\d+; warnings=\d+")
NEED_KEY = "Please contact the server operator to get an API key"


def plain(text: str) -> str:
    """``text`` with no-break and narrow no-break spaces as plain spaces (localized facts use them)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# --- servers --------------------------------------------------------------------------------


def start_lt_server(folder: Path, packages: Path, *, keys: tuple[str, ...] = (KEY,), prefix: str = "",
                    env: dict[str, str] | None = None) -> Server:
    """``presskit serve`` with the example glossary and do-not-translate list, and a LibreTranslate prefix."""
    config = write_config(folder, keys=keys)
    with config.open("a", encoding="utf-8") as stream:
        stream.write(f'libretranslate_prefix = "{prefix}"\n\n[translation]\n'
                     f'glossaries = ["{EXAMPLES / "glossary-de-en.csv"}"]\n'
                     f'do_not_translate = "{EXAMPLES / "do-not-translate.txt"}"\n')
    port = free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [str(PRESSKIT), "serve", "--host", "127.0.0.1", "--port", str(port), "--config", str(config)],
            cwd=folder, env={**service_env(folder, packages), **(env or {})}, stdout=stream, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", folder=folder, log=log, key=keys[0] if keys else None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"presskit serve exited with code {process.returncode}:\n{server.output()}")
        with contextlib.suppress(httpx.TransportError, ValueError):
            if httpx.get(f"{server.url}{prefix}/health", timeout=2).json() == {"status": "ok"}:
                return server
        time.sleep(0.1)
    server.kill()
    pytest.fail(f"presskit serve did not answer within 30 s:\n{server.output()}")


@contextlib.contextmanager
def running(folder: Path, packages: Path, **options: Any) -> Iterator[Server]:
    server = start_lt_server(folder, packages, **options)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(installed_pairs: object, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("lt-service"), argos_home) as started:
        yield started


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    """A client sending no key of its own (LibreTranslate clients put it into the body)."""
    with httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


@pytest.fixture
def libretranslatepy() -> Any:
    """The ``libretranslatepy`` client library (test extra), unmodified."""
    return pytest.importorskip("libretranslatepy")


@pytest.fixture
def libretranslate_aio() -> Any:
    """The ``libretranslate-aio`` client library (test extra), unmodified."""
    return pytest.importorskip("libretranslate_aio")


def translate(http: httpx.Client, **fields: Any) -> httpx.Response:
    return http.post("/translate", data={"api_key": KEY, **fields})


# --- with client libraries as they are ------------------------------------------------------


def test_libretranslatepy_lists_the_installed_routes(server: Server, libretranslatepy: Any) -> None:
    languages = libretranslatepy.LibreTranslateAPI(server.url, KEY).languages(timeout=30)
    assert languages == [
        {"code": "de", "name": "German", "targets": ["en", "fr"]},  # fr through English
        {"code": "en", "name": "English", "targets": ["fr"]},
        {"code": "fr", "name": "French", "targets": []},
    ]


def test_libretranslatepy_detects_german(server: Server, libretranslatepy: Any) -> None:
    detected = libretranslatepy.LibreTranslateAPI(server.url, KEY).detect(PARAGRAPH, timeout=30)
    assert detected[0]["language"] == "de" and detected[0]["confidence"] > 90
    assert all(set(entry) == {"confidence", "language"} for entry in detected)


def test_libretranslatepy_translates_a_paragraph_into_english(server: Server, libretranslatepy: Any) -> None:
    english = plain(libretranslatepy.LibreTranslateAPI(server.url, KEY).translate(PARAGRAPH, "de", "en", timeout=120))
    assert "EUR 3.2 billion" in english and "3,2 Milliarden" not in english
    assert "presse@beispiel.de" in english
    assert "+49 211 8371134" in english


def test_libretranslatepy_translates_into_french_through_english(server: Server, libretranslatepy: Any) -> None:
    french = plain(libretranslatepy.LibreTranslateAPI(server.url, KEY).translate(PARAGRAPH, "de", "fr", timeout=120))
    assert "3,2 milliards d’euros" in french
    assert "presse@beispiel.de" in french and "+49 211 8371134" in french


def test_libretranslatepy_sees_a_wrong_key_refused(server: Server, libretranslatepy: Any) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        libretranslatepy.LibreTranslateAPI(server.url, "not-a-key-0123456789").translate("Hallo", "de", "en", timeout=30)
    assert refused.value.code == 403 and json.loads(refused.value.read()) == {"error": "Invalid API key"}


def test_libretranslate_aio_translates_a_text_file(server: Server, tmp_path: Path, libretranslate_aio: Any) -> None:
    source = tmp_path / "mitteilung.txt"
    source.write_text(f"{PARAGRAPH}\n\n  Zweite Zeile mit 100.000 Besuchern.\n", encoding="utf-8")
    with libretranslate_aio.LibreTranslate(server.url, api_key=KEY, timeout=120) as client:
        result = client.translate_file(source, "de", "en")
    url = result.translated_file_url
    assert re.fullmatch(rf"{re.escape(server.url)}/download_file/[0-9a-f]{{32}}\.mitteilung\.txt", url)
    download = httpx.get(url, timeout=30)
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="mitteilung.txt"'
    lines = plain(download.text).split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[2].startswith("  ") and lines[3] == ""  # the layout kept
    assert "EUR 3.2 billion" in lines[0] and "presse@beispiel.de" in lines[0] and "+49 211 8371134" in lines[0]
    assert "100,000" in lines[2]


def test_libretranslate_aio_lists_and_settings(server: Server, libretranslate_aio: Any) -> None:
    with libretranslate_aio.LibreTranslate(server.url, api_key=KEY, timeout=120) as client:
        result = client.translate(["Es kostet 3,2 Milliarden Euro.", "Rund 100.000 Menschen kamen."], "de", "en", alternatives=2)
        settings = client.frontend_settings()
        assert client.health()
    assert isinstance(result.translated_text, list) and len(result.translated_text) == 2
    assert "EUR 3.2 billion" in plain(result.translated_text[0]) and "100,000" in result.translated_text[1]
    assert result.alternatives == [[], []]  # one translation, honestly
    assert settings.api_keys and settings.key_required and not settings.suggestions
    assert ".txt" in settings.supported_files_format and settings.language.source.code == "auto"


def test_concurrent_requests_share_model_calls_and_get_their_own_answers(
    installed_pairs: object, argos_home: Path, tmp_path: Path, libretranslate_aio: Any
) -> None:
    amounts = range(1, 13)

    async def send_all(url: str) -> list[Any]:
        async with libretranslate_aio.AsyncLibreTranslate(url, api_key=KEY, timeout=120) as client:
            return list(await asyncio.gather(*(
                client.translate(f"Der Kreis erhält {n},5 Millionen Euro und {n}0.000 Besucher.", "de", "en") for n in amounts
            )))

    with running(tmp_path, argos_home, env={"PRESSKIT_LT_BATCH_MS": "200"}) as started:
        results = asyncio.run(send_all(started.url))
    for n, result in zip(amounts, results):
        assert f"EUR {n}.5 million" in plain(result.translated_text) and f"{n}0,000" in result.translated_text
    logged = re.search(r"LibreTranslate: (\d+) requests in (\d+) model batches", started.output())
    assert logged is not None, started.output()
    assert int(logged[1]) == len(amounts) and int(logged[2]) < len(amounts)


# --- /translate, raw --------------------------------------------------------------------------


def test_translate_takes_form_json_and_query_fields(http: httpx.Client) -> None:
    by_form = translate(http, q="Es kostet 3,2 Milliarden Euro.", source="de", target="en")
    by_json = http.post("/translate", json={"q": "Es kostet 3,2 Milliarden Euro.", "source": "de", "target": "en", "api_key": KEY})
    by_query = http.post("/translate", params={"q": "Es kostet 3,2 Milliarden Euro.", "source": "de", "target": "en",
                                                 "api_key": KEY})
    for response in (by_form, by_json, by_query):
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"translatedText", "presskit"}  # no detectedLanguage or alternatives unless asked
        assert "EUR 3.2 billion" in plain(body["translatedText"])
    assert by_form.json()["translatedText"] == by_json.json()["translatedText"] == by_query.json()["translatedText"]


def test_translate_lists_come_back_as_lists(http: httpx.Client) -> None:
    texts = ["Es kostet 3,2 Milliarden Euro.", "", "😀", "Rund 100.000 Menschen kamen."]
    by_json = http.post("/translate", json={"q": texts, "source": "de", "target": "en", "api_key": KEY}).json()
    assert len(by_json["translatedText"]) == 4
    assert by_json["translatedText"][1:3] == ["", "😀"]  # nothing to translate: as sent
    by_form = http.post("/translate", data={"q": ["Es kostet 3,2 Milliarden Euro.", "Danke."], "source": "de",
                                            "target": "en", "api_key": KEY}).json()  # q repeated
    assert len(by_form["translatedText"]) == 2 and by_form["translatedText"][0] == by_json["translatedText"][0]


def test_translate_auto_detects_and_answers_alternatives_honestly(http: httpx.Client) -> None:
    body = translate(http, q=PARAGRAPH, source="auto", target="en", alternatives="3").json()
    assert body["detectedLanguage"]["language"] == "de" and body["detectedLanguage"]["confidence"] > 90
    assert body["alternatives"] == []
    listed = http.post("/translate", json={"q": [PARAGRAPH, "Guten Tag."], "source": "auto", "target": "en",
                                           "alternatives": 1, "api_key": KEY}).json()
    assert len(listed["detectedLanguage"]) == 2 and listed["alternatives"] == [[], []]


def test_translate_reports_qa_route_and_memory(http: httpx.Client) -> None:
    text = "Der Landkreis Eichenrode erhält 1,5 Millionen Euro."
    first = translate(http, q=text, source="de", target="fr")
    assert QA_VALUE.fullmatch(first.headers["x-presskit-qa"])
    presskit = first.json()["presskit"]
    assert presskit["route"].startswith("de→fr via en")
    assert {"passed", "findings"} <= set(presskit["qa"])
    assert all(set(f) == {"text", "check", "severity", "message"} and f["text"] == 0 for f in presskit["qa"]["findings"])
    again = translate(http, q=text, source="de", target="fr").json()
    assert again["translatedText"] == first.json()["translatedText"]
    assert again["presskit"]["segments"] == {"memory": 1}  # the translation memory answered


def test_translate_applies_glossary_and_do_not_translate(http: httpx.Client) -> None:
    english = translate(http, q="Die Landesregierung und die Westfälische Ferngas AG bauen ein Netz.",
                        source="de", target="en").json()["translatedText"]
    assert "state government" in english.lower() and "Westfälische Ferngas AG" in english


def test_translate_keeps_html_tags_and_translates_text_nodes(http: httpx.Client) -> None:
    markup = ('<p class="lead">Es kostet <b>3,2 Milliarden Euro</b> &amp; mehr: '
              '<a href="https://www.example.org/?a=1&amp;b=2">Details</a>.</p>\n'
              '<pre>Code bleibt</pre><p translate="no">Name bleibt</p><!-- Kommentar -->')
    response = translate(http, q=markup, source="de", target="en", format="html")
    assert response.status_code == 200, response.text
    html = response.json()["translatedText"]
    tags = re.compile(r"<[^>]+>")
    assert tags.findall(html) == tags.findall(markup)
    assert re.search(r"<b>[^<]*EUR\u00a03\.2\u00a0billion[^<]*</b>", html)  # the amount in its own node
    assert "<pre>Code bleibt</pre><p translate=\"no\">Name bleibt</p><!-- Kommentar -->" in html
    assert "&" not in re.sub(r"&(amp|lt|gt|#\d+);", "", tags.sub("", html))  # every & in the text escaped


def test_translate_same_language_and_nothing_to_translate(http: httpx.Client) -> None:
    assert translate(http, q="Bleibt so.", source="de", target="de").json()["translatedText"] == "Bleibt so."
    emoji = translate(http, q="😀 👍", source="auto", target="en").json()
    assert emoji["translatedText"] == "😀 👍" and emoji["detectedLanguage"] == {"confidence": 0.0, "language": "en"}


@pytest.mark.parametrize(("fields", "status", "error"), [
    ({"source": "de", "target": "en"}, 400, "Invalid request: missing q parameter"),
    ({"q": "Hallo", "target": "en"}, 400, "Invalid request: missing source parameter"),
    ({"q": "Hallo", "source": "de"}, 400, "Invalid request: missing target parameter"),
    ({"q": "Hallo", "source": "de", "target": "en", "alternatives": "viele"}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ({"q": "Hallo", "source": "de", "target": "en", "format": "xml"}, 400, "xml format is not supported"),
    ({"q": "Hallo", "source": "xx", "target": "en"}, 400, "xx is not supported"),
    ({"q": "Hallo", "source": "de", "target": "es"}, 400, "es is not supported"),
    ({"q": "Bonjour", "source": "fr", "target": "de"}, 400, "German (de) is not available as a target language from French (fr)"),
])
def test_translate_errors_are_libretranslates(http: httpx.Client, fields: dict[str, str], status: int, error: str) -> None:
    response = translate(http, **fields)
    assert (response.status_code, response.json()) == (status, {"error": error})


def test_translate_keys(http: httpx.Client) -> None:
    no_key = http.post("/translate", data={"q": "Hallo", "source": "de", "target": "en"})
    assert (no_key.status_code, no_key.json()) == (400, {"error": NEED_KEY})
    wrong = http.post("/translate", json={"q": "Hallo", "source": "de", "target": "en", "api_key": "wrong-key-0123456789"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    by_header = http.post("/translate", data={"q": "Hallo", "source": "de", "target": "en"}, headers={"X-API-Key": KEY})
    assert by_header.status_code == 200


def test_translate_refuses_broken_json(http: httpx.Client) -> None:
    for body in (b"{not json", b"[1, 2]"):
        response = http.post("/translate", content=body, headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()) == (400, {"error": "Invalid JSON format"})
    listed = http.post("/translate", json={"q": ["ok", 3], "source": "de", "target": "en", "api_key": KEY})
    assert listed.status_code == 400 and "q must be a string or a list of strings" in listed.json()["error"]


# --- the other endpoints, raw ----------------------------------------------------------------


def test_languages_and_settings_need_no_key(http: httpx.Client) -> None:
    languages = http.get("/languages")
    assert languages.status_code == 200 and [entry["code"] for entry in languages.json()] == ["de", "en", "fr"]
    settings = http.get("/frontend/settings").json()
    assert settings["charLimit"] == -1 and settings["keyRequired"] is True and settings["filesTranslation"] is True
    assert settings["language"] == {"source": {"code": "auto", "name": "Auto Detect"}, "target": {"code": "en", "name": "English"}}
    assert http.get("/health").json() == {"status": "ok"}


def test_detect(http: httpx.Client) -> None:
    by_json = http.post("/detect", json={"q": "Das ist ein Satz auf Deutsch.", "api_key": KEY})
    assert by_json.status_code == 200 and by_json.json()[0]["language"] == "de"
    missing = http.post("/detect", data={"api_key": KEY})
    assert (missing.status_code, missing.json()) == (400, {"error": "Invalid request: missing q parameter"})
    wrong = http.post("/detect", data={"q": "Hallo", "api_key": "wrong-key-0123456789"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    nothing = http.post("/detect", data={"q": "1234 !!", "api_key": KEY}).json()
    assert nothing == [{"confidence": 0.0, "language": "en"}]


def test_translate_file_of_a_release_answers_release_json(http: httpx.Client) -> None:
    from toolkit.release_json import loads

    response = http.post("/translate_file", data={"source": "auto", "target": "en", "api_key": KEY},
                         files={"file": ("kulturnacht.md", (EXAMPLES / "kulturnacht.md").read_bytes())})
    assert response.status_code == 200, response.text
    assert QA_VALUE.fullmatch(response.headers["x-presskit-qa"])
    url = response.json()["translatedFileUrl"]
    assert url.endswith(".kulturnacht.json")
    download = http.get(url)
    assert download.headers["content-type"].startswith("application/json")
    assert download.headers["content-security-policy"] == "sandbox"
    release = loads(download.text)
    assert release.language == "en" and release.body


@pytest.mark.parametrize(("data", "files", "status", "error"), [
    ({"source": "de", "target": "en"}, None, 400, "Invalid request: missing file parameter"),
    ({"target": "en"}, {"file": ("a.txt", b"Hallo")}, 400, "Invalid request: missing source parameter"),
    ({"source": "de", "target": "en"}, {"file": ("a.xlsx", b"PK")}, 400, "Invalid request: file format not supported"),
    ({"source": "de", "target": "xx"}, {"file": ("a.txt", b"Hallo")}, 400, "xx is not supported"),
    ({"source": "de", "target": "en"}, {"file": ("leer.txt", b"")}, 400, None),
])
def test_translate_file_errors(http: httpx.Client, data: dict[str, str], files: dict[str, Any] | None, status: int,
                               error: str | None) -> None:
    response = http.post("/translate_file", data={**data, "api_key": KEY}, files=files or {"other": ("x", b"")})
    assert response.status_code == status and set(response.json()) == {"error"}
    if error is not None:
        assert response.json()["error"] == error
    else:
        assert "leer.txt" in response.json()["error"] and "/" not in response.json()["error"]  # no server path


def test_downloads_never_leave_the_files_folder(http: httpx.Client, server: Server) -> None:
    for name in ("..%2F..%2Fpresskit.toml", "0123456789abcdef0123456789abcdef.%2E%2E", "0123456789abcdef0123456789abcdef.x.txt",
                 "nothex.txt", "%2E%2E"):
        response = http.get(f"/download_file/{name}")
        assert response.status_code == 404, name
    assert http.get("/download_file/../presskit.toml").status_code == 404


def test_suggestions_are_off(http: httpx.Client) -> None:
    response = http.post("/suggest", data={"q": "a", "s": "b", "source": "de", "target": "en"})
    assert (response.status_code, response.json()) == (403, {"error": "Suggestions are disabled on this server."})


def translation_process(server: Server) -> int:
    """The pid of the server's translation process: the child that has CTranslate2 loaded (no job ran here)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == server.process.pid and "ctranslate2" in (stat.parent / "maps").read_text():
                found.append(int(stat.parent.name))
    assert len(found) == 1, f"expected one child process with CTranslate2 loaded, found {found}"
    return found[0]


def test_a_translation_process_that_dies_is_replaced(http: httpx.Client, server: Server) -> None:
    assert translate(http, q="Vorher 3,2 Milliarden Euro.", source="de", target="en").status_code == 200
    dead = translation_process(server)
    os.kill(dead, signal.SIGKILL)  # as the kernel's OOM killer would
    time.sleep(1.0)  # the executor notices a dead idle process on its own
    after = translate(http, q="Nachher 3,2 Milliarden Euro.", source="de", target="en")
    assert after.status_code == 200, after.text
    assert "EUR 3.2 billion" in plain(after.json()["translatedText"])
    assert translation_process(server) != dead
    assert "the translation process died; starting a new one" in server.output()


# --- under a prefix, without keys ---------------------------------------------------------------


def test_endpoints_under_a_prefix_without_keys(
    installed_pairs: object, argos_home: Path, tmp_path: Path, libretranslatepy: Any, libretranslate_aio: Any
) -> None:
    with running(tmp_path, argos_home, keys=(), prefix="/libretranslate") as started:
        base = f"{started.url}/libretranslate"
        english = libretranslatepy.LibreTranslateAPI(base).translate("Es kostet 3,2 Milliarden Euro.", "de", "en", timeout=120)
        assert "EUR 3.2 billion" in plain(english)
        with libretranslate_aio.LibreTranslate(base, timeout=120) as client:
            source = tmp_path / "kurz.txt"
            source.write_text("Rund 100.000 Menschen kamen.", encoding="utf-8")
            url = client.translate_file(source, "de", "en").translated_file_url
            settings = client.frontend_settings()
        assert url.startswith(f"{base}/download_file/") and "100,000" in httpx.get(url).text
        assert not settings.key_required and not settings.api_keys
        assert httpx.get(f"{started.url}/languages").status_code == 404  # not at the root


# --- configuration and the parts, without a server ------------------------------------------------


@pytest.mark.parametrize(("written", "read"), [("", ""), ("/", ""), ("lt", "/lt"), ("/api/lt/", "/api/lt")])
def test_prefix_setting(tmp_path: Path, written: str, read: str) -> None:
    from toolkit.config import read_config

    config = tmp_path / "presskit.toml"
    config.write_text(f'[service]\nlibretranslate_prefix = "{written}"\n', encoding="utf-8")
    assert read_config(config).service.libretranslate_prefix == read


@pytest.mark.parametrize("written", ["/a/../b", "/a b", "/ä"])
def test_prefix_setting_refuses_what_is_not_a_path(tmp_path: Path, written: str) -> None:
    from toolkit.config import ConfigError, read_config

    config = tmp_path / "presskit.toml"
    config.write_text(f'[service]\nlibretranslate_prefix = "{written}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="service.libretranslate_prefix"):
        read_config(config)


def test_batcher_splits_by_weight_and_hands_errors_to_every_waiting_request() -> None:
    from toolkit.service.batcher import Batcher

    calls: list[list[int]] = []

    async def run(items: Any) -> list[int]:
        calls.append(list(items))
        if 99 in items:
            raise ValueError("broken")
        return [item + 1 for item in items]

    async def main() -> tuple[list[Any], list[Any]]:
        batcher: Batcher[int, int] = Batcher(run, window=0.05, max_weight=5, weight=lambda item: item)
        good = await asyncio.gather(*(batcher.submit(n) for n in (1, 2, 3, 4)))
        bad = await asyncio.gather(batcher.submit(99), return_exceptions=True)
        await batcher.close()
        return list(good), list(bad)

    good, bad = asyncio.run(main())
    assert good == [2, 3, 4, 5] and calls[:2] == [[1, 2], [3]] and calls[2] == [4]
    assert isinstance(bad[0], ValueError)


def test_units_of_text_and_html() -> None:
    from toolkit.service.lt_units import join, split_html, split_plain, units

    layout = split_plain("Eins.\r\n\tZwei. \n---\n")
    assert units(layout) == ["Eins.", "Zwei."] and join(layout, ["One.", "Two."]) == "One.\r\n\tTwo. \n---\n"
    markup = '<div class="x notranslate">Firma <i>GmbH</i></div><script>if (a<b) {}</script><p>A&nbsp;B<br>C</p>'
    layout = split_html(markup)
    assert units(layout) == ["A\u00a0B", "C"]
    assert join(layout, ["X&Y", "Z"], html=True) == markup.replace("A&nbsp;B", "X&amp;Y").replace(">C<", ">Z<")
