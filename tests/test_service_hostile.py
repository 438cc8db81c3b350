"""``presskit serve`` under hostile and broken input (issue 13): a real server on 127.0.0.1, real sockets.

* a ``charset`` that Python can look up but that is no text encoding
  (``rot13``, ``base64``, ``zlib`` …) is refused with 415, never a 500;
* a session cookie the service did not make (non-ASCII, a 5,000-digit
  expiry) is a signed-out browser, never a 500;
* a connection whose request headers do not arrive within
  ``service.header_timeout`` is closed (slowloris);
* every answer carries the protective headers, the service's own refusals
  (413, 400, 403, 421) and the protocol's (400, 408) included;
* Schemathesis, against the service's own ``/openapi.json``, finds no 500;
* workers see a model installed while the service runs;
* a job running longer than ``service.job_timeout`` fails, and its worker is replaced.
"""

from __future__ import annotations

import codecs
import contextlib
import encodings
import encodings.aliases
import json
import pkgutil
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_service import KEY, OFFERED, RELEASE, Server, running_server, submit, wait_for, worker_pids

#: Seconds the test services give a client to send its request headers (service.header_timeout).
HEADER_TIMEOUT = 1
#: A release of one paragraph: quick to translate with the fixture models (which never stop before 256 tokens).
SHORT_RELEASE = (
    "Land baut Wasserstoffnetz\n\n15. Mai 2025\n\n"
    "Das Land Westfalen und fünf Netzbetreiber bauen gemeinsam ein Wasserstoffnetz. Bis 2030 sollen rund "
    "420 Kilometer Leitungen in Betrieb gehen.\n"
).encode("utf-8")
#: What every answer of the service carries (RequestGuardMiddleware's list, and a CSP).
PROTECTIVE_HEADERS = ("x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy")


@pytest.fixture(scope="module")
def server(installed_pairs: object, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("hostile-service"), argos_home, keys=(KEY,),
                        extra=f"header_timeout = {HEADER_TIMEOUT}\n") as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def assert_protected(response: httpx.Response) -> None:
    missing = [name for name in PROTECTIVE_HEADERS if name not in response.headers]
    assert not missing, f"{response.status_code} {response.request.url} lacks {missing}: {dict(response.headers)}"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def raw_headers(answer: bytes) -> dict[str, str]:
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head)}


# --- charsets -------------------------------------------------------------------------------

#: Codecs Python looks up that do not decode bytes to text (bytes→bytes, str→str), and text codecs that are no charset.
NOT_CHARSETS = ("rot13", "rot_13", "base64", "base64_codec", "hex", "zlib", "zip", "bz2", "quopri", "quoted-printable", "uu",
                "undefined", "unicode_escape", "raw_unicode_escape", "idna", "punycode")


@pytest.mark.parametrize("charset", NOT_CHARSETS)
def test_a_charset_that_is_no_text_encoding_is_refused_with_415(client: httpx.Client, charset: str) -> None:
    response = client.post("/api/v1/jobs?languages=en", content=RELEASE.read_bytes(),
                           headers={"Content-Type": f"text/plain; charset={charset}"})
    assert response.status_code == 415, response.text
    assert response.json()["detail"] == (f"charset {charset!r} is not a text encoding; send UTF-8, "
                                         "or name the charset the text is in (ISO-8859-1, windows-1252 …)")


def test_a_real_charset_is_still_converted(client: httpx.Client) -> None:
    latin1 = RELEASE.read_text("utf-8").replace("\u2082", "2").encode("cp1252")
    response = client.post("/api/v1/jobs?languages=de", content=latin1, headers={"Content-Type": "text/plain; charset=windows-1252"})
    assert response.status_code == 202, response.text
    status = wait_for(client, response.json()["id"])
    assert status["state"] == "done" and status["headline"].endswith("für das Wasserstoff-Kernnetz Westfalen")


def test_text_that_decodes_to_lone_surrogates_is_refused_with_422(client: httpx.Client) -> None:
    # UTF-7 can spell half of a surrogate pair, which no UTF-8 file can hold.
    response = client.post("/api/v1/jobs?languages=en", content=b"Pressemitteilung +2AA- Text\n",
                           headers={"Content-Type": "text/plain; charset=utf-7"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("the release is not valid utf-7")


@pytest.mark.parametrize("path", ["/api/v1/jobs?languages=en", "/jobs"])
@pytest.mark.parametrize("charset", ["undefined", "rot13", "utf-7"])
def test_a_form_in_a_bad_charset_is_refused(client: httpx.Client, path: str, charset: str) -> None:
    body = (b"--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nPressemitteilung +2AA- Text\r\n"
            b"--b\r\nContent-Disposition: form-data; name=\"languages\"\r\n\r\nen\r\n--b--\r\n")
    response = client.post(path, content=body, headers={"Content-Type": f"multipart/form-data; boundary=b; charset={charset}"})
    assert response.status_code in (403, 415, 422), response.text  # the web form without a CSRF token: 403


def test_web_forms_in_utf7_are_refused_without_an_error(server: Server) -> None:
    """UTF-7 spells half a surrogate pair (``+2AA-``), which the key and token comparisons must survive."""
    with server.client(key=None) as browser:
        page = browser.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, page.text
        for key, sent_token in (("+2AA-", token[1]), (KEY, token[1] + "+2AA-")):
            body = (f'--b\r\nContent-Disposition: form-data; name="key"\r\n\r\n{key}\r\n'
                    f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{sent_token}\r\n--b--\r\n').encode("ascii")
            refused = browser.post("/login", content=body, headers={"Content-Type": "multipart/form-data; boundary=b; charset=utf-7"})
            assert refused.status_code in (400, 403), refused.text
        assert "presskit_session" not in browser.cookies

        signed_in = browser.post("/login", data={"key": KEY, "csrf_token": token[1]})
        assert signed_in.status_code == 303 and "presskit_session" in browser.cookies
        body = (f'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nLand baut +2AA- Netz\r\n'
                f'--b\r\nContent-Disposition: form-data; name="languages"\r\n\r\nde\r\n'
                f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token[1]}\r\n--b--\r\n').encode("ascii")
        page = browser.post("/jobs", content=body, headers={"Content-Type": "multipart/form-data; boundary=b; charset=utf-7"})
        assert page.status_code == 422, page.text
        assert "half of a surrogate pair" in page.text and "Land baut ? Netz" in page.text


def every_codec_name() -> list[str]:
    names = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
    names |= {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    return sorted(name for name in names if name not in ("aliases", "mbcs", "oem"))


def test_every_codec_python_knows_is_taken_or_refused_never_an_error() -> None:
    from toolkit.service.submit import SubmissionError, from_raw

    bodies = [RELEASE.read_bytes(), bytes(range(256)) * 4, b"\\ud800 \\N{nothing} \\x +2AA- \xff\xfe\x00\xd8", b"a" * 70]
    refused = set()
    for name in every_codec_name():
        for body in bodies:
            try:
                from_raw(body, f"text/plain; charset={name}", ["en"], OFFERED)
            except SubmissionError as error:
                assert error.status in (415, 422), (name, error)
                if error.status == 415 and "is not a text encoding" in str(error):
                    refused.add(codecs.lookup(name).name)
    assert {"rot-13", "base64", "hex", "zlib", "bz2", "quopri", "uu"} <= refused
    assert not {"utf-8", "utf-16", "iso8859-1", "cp1252", "ascii", "gb18030", "shift_jis"} & refused


# --- cookies --------------------------------------------------------------------------------

BAD_SESSIONS = [
    "9" * 5000 + ".abc",                 # more digits than int() takes from a string
    "\u00b2\u00b3.abc",                  # superscript digits: str.isdigit() says yes, int() says no
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660.abc",  # Arabic-Indic digits
    "4102444800.\u00e9\u00e9",           # a signature that is not ASCII
    "-1.abc", ".", "", "4102444800.", "4102444800." + "0" * 64, "x" * 5000,
]


def _cookie_header(name: str, value: str) -> bytes:
    """As a client may send it: Latin-1 where it can be (the server reads header bytes as Latin-1), else UTF-8."""
    try:
        return f"{name}={value}".encode("latin-1")
    except UnicodeEncodeError:
        return f"{name}={value}".encode("utf-8")


@pytest.fixture(scope="module")
def some_job(client: httpx.Client) -> str:
    """A job to ask for, whatever becomes of it."""
    return submit(client, b"x", languages="en")


@pytest.mark.parametrize("value", BAD_SESSIONS, ids=lambda value: repr(value[:20]))
def test_a_session_cookie_the_service_did_not_make_is_signed_out(server: Server, some_job: str, value: str) -> None:
    job_id = some_job
    cookie = {"Cookie": _cookie_header("presskit_session", value)}
    with server.client(key=None, headers=cookie) as browser:  # type: ignore[arg-type]  # httpx takes bytes
        page = browser.get("/")
        assert page.status_code == 303 and page.headers["location"] == "/login"
        assert browser.get("/login").status_code == 200
        download = browser.get(f"/jobs/{job_id}/archive.zip")
        assert download.status_code == 401 and "sign in" in download.json()["detail"]
        assert browser.get(f"/jobs/{job_id}").status_code == 303


@pytest.mark.parametrize("value", ["\u00e9\u00e9", "9" * 5000, "a b", '"quoted"'])
def test_a_strange_csrf_cookie_refuses_the_form_without_an_error(server: Server, value: str) -> None:
    headers = {"Cookie": _cookie_header("presskit_csrf", value)}
    with server.client(key=None, headers=headers) as browser:  # type: ignore[arg-type]
        assert browser.get("/login").status_code == 200
        refused = browser.post("/login", data={"key": KEY, "csrf_token": "forged"})
        assert refused.status_code == 403


def test_the_session_check_takes_only_what_the_service_makes() -> None:
    from toolkit.service.security import Keys

    keys = Keys([KEY])
    made = keys.session(KEY, now=1_000_000)
    assert keys.valid_session(made, now=1_000_001)
    assert not keys.valid_session(made, now=10**10)
    for value in BAD_SESSIONS:
        assert not keys.valid_session(value, now=1_000_000)
    assert not Keys([]).valid_session(made, now=1_000_001)


# --- slow clients -----------------------------------------------------------------------------


def _closed_within(connection: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Read until the server closes the connection or ``seconds`` pass: (closed, what it sent)."""
    connection.settimeout(0.2)
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            piece = connection.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True, received
        if not piece:
            return True, received
        received += piece
    return False, received


def test_a_request_whose_headers_never_complete_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as connection:
        began = time.monotonic()
        connection.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        closed, answer = _closed_within(connection, HEADER_TIMEOUT + 4)
        took = time.monotonic() - began
    assert closed, f"the connection was still open after {took:.1f} s"
    assert HEADER_TIMEOUT - 0.2 <= took <= HEADER_TIMEOUT + 2
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert json.loads(answer.partition(b"\r\n\r\n")[2]) == {
        "detail": f"the request headers did not arrive within {HEADER_TIMEOUT} s (service.header_timeout)"
    }
    headers = raw_headers(answer)
    assert headers["connection"] == "close" and all(name in headers for name in PROTECTIVE_HEADERS), headers


def test_a_connection_that_trickles_a_second_request_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as connection:
        connection.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while b"\r\n\r\n" not in first or len(first.partition(b"\r\n\r\n")[2]) < int(raw_headers(first)["content-length"]):
            first += connection.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        began = time.monotonic()
        closed = False
        # One byte every 0.3 s: each byte would restart uvicorn's keep-alive timer.
        for byte in b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n":
            try:
                connection.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            closed, _ = _closed_within(connection, 0.3)
            if closed or time.monotonic() - began > HEADER_TIMEOUT + 4:
                break
        took = time.monotonic() - began
    assert closed, f"the connection was still open after {took:.1f} s"
    assert took <= HEADER_TIMEOUT + 2


def test_a_client_that_sends_its_headers_in_time_is_answered(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as connection:
        for part in (b"GET /api/v1/health HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"Connection: close\r\n\r\n"):
            connection.sendall(part)
            time.sleep(HEADER_TIMEOUT / 4)
        closed, answer = _closed_within(connection, 5)
    assert closed and answer.startswith(b"HTTP/1.1 200 "), answer
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["status"] == "ok"


def test_a_slow_body_is_not_cut_off_by_the_header_timeout(client: httpx.Client) -> None:
    def slowly() -> Iterator[bytes]:
        for line in RELEASE.read_bytes().splitlines(keepends=True)[:3]:
            time.sleep(HEADER_TIMEOUT * 0.6)
            yield line
        yield RELEASE.read_bytes()

    response = client.post("/api/v1/jobs?languages=de", content=slowly(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 202, response.text


# --- protective headers on every answer -------------------------------------------------------


def test_every_refusal_carries_the_protective_headers(server: Server, client: httpx.Client) -> None:
    too_large = client.post("/api/v1/jobs?languages=en", content=b"x" * (3 * 1024 * 1024), headers={"Content-Type": "text/plain"})
    assert too_large.status_code == 413
    cross_site = client.post("/api/v1/jobs?languages=en", content=b"x", headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    answers = [
        too_large, cross_site,
        client.get("/api/v1/jobs/" + "0" * 32),                      # 404
        client.get("/api/v1/jobs?limit=0"),                           # 422
        client.post("/api/v1/jobs?languages=en", content=b"x", headers={"Content-Type": "image/png"}),  # 415
        client.get("/api/v1/jobs", headers={"X-API-Key": "wrong"}),  # 403
        client.get("/api/v1/health"),
        client.get("/openapi.json"),
        client.get("/static/service.css"),
        client.get("/login"),
    ]
    with server.client(key=None) as anonymous:
        answers.append(anonymous.get("/api/v1/jobs"))                # 401
    assert [answer.status_code for answer in answers] == [413, 403, 404, 422, 415, 403, 200, 200, 200, 200, 401]
    for answer in answers:
        assert_protected(answer)
    assert answers[-2].headers["content-security-policy"].startswith("default-src 'none'; style-src 'self'")  # the page's own


def test_refusals_before_the_application_carry_the_protective_headers(server: Server) -> None:
    def raw(*parts: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as connection:
            for part in parts:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    connection.sendall(part)
                time.sleep(0.1)
            _, answer = _closed_within(connection, 5)
        return answer

    length = raw(b"POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY.encode() + b"\r\n"
                 b"Content-Length: 99999999999\r\nConnection: close\r\n\r\n")
    invalid = raw(b"GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    # h11 refuses headers that reach 16 KiB while still incomplete.
    header_too_long = raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + b"a" * 20_000, b"a\r\n\r\n")
    for answer, status in ((length, b"413"), (invalid, b"400"), (header_too_long, b"400")):
        assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
        headers = raw_headers(answer)
        assert all(name in headers for name in PROTECTIVE_HEADERS), headers
        assert "detail" in json.loads(answer.partition(b"\r\n\r\n")[2])


def test_a_wrong_host_is_refused_with_the_protective_headers(tmp_path: Path, installed_pairs: object, argos_home: Path) -> None:
    with running_server(tmp_path, argos_home, keys=()) as keyless, keyless.client() as client:
        refused = client.get("/api/v1/health", headers={"Host": "evil.example"})
        assert refused.status_code == 421
        assert_protected(refused)


# --- models installed while the service runs --------------------------------------------------


@pytest.mark.parametrize("where", ["ARGOS_PACKAGES_DIR", "translation.models"])
def test_workers_use_a_model_installed_while_the_service_runs(
    where: str, tmp_path: Path, installed_pairs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argos_fixture import build_argos_package

    from toolkit.translate.packages import install_file

    packages = tmp_path / "packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    install_file(installed_pairs.files["de", "en"])
    extra = f'\n[translation]\nmodels = "{packages}"\n' if where == "translation.models" else ""
    # The service's environment names another folder when the config names this one.
    environment_folder = tmp_path / "elsewhere" if where == "translation.models" else packages
    environment_folder.mkdir(exist_ok=True)
    with running_server(tmp_path / "service", environment_folder, keys=(KEY,), extra=extra) as server, server.client() as client:
        # Spanish has no model yet: refused at submit. The worker makes its translator (with the models it finds)
        # for the first job, and keeps it.
        refused = client.post("/api/v1/jobs", params={"languages": "es"}, content=SHORT_RELEASE,
                              headers={"Content-Type": "text/plain"})
        assert refused.status_code == 422 and "no translation model from de to es" in refused.json()["detail"]
        english = wait_for(client, submit(client, SHORT_RELEASE, languages="en"))
        assert english["state"] == "done", english["error"]

        install_file(build_argos_package(tmp_path / "built", source="de", target="es", seed=3))
        assert "es" in client.get("/api/v1/languages").json()["offered"]
        spanish = wait_for(client, submit(client, SHORT_RELEASE, languages="es"))
        assert spanish["state"] == "done", spanish["error"]
        assert spanish["languages"][1]["route"].startswith("de→es direct (translate-de_es 1.0)")
        pairs = {(pair["source"], pair["target"]) for pair in client.get("/api/v1/languages").json()["pairs"]}
        assert pairs == {("de", "en"), ("de", "es")}


# --- a time limit per job ---------------------------------------------------------------------


def test_a_job_over_the_time_limit_fails_and_its_worker_is_replaced(tmp_path: Path, installed_pairs: object, argos_home: Path) -> None:
    long_release = RELEASE.read_text("utf-8") + "\n\n".join(
        f"Absatz {number}: Das Land investiert weitere Mittel in die Netze der Region und in neue Leitungen." for number in range(200)
    )
    with running_server(tmp_path, argos_home, keys=(KEY,), extra="job_timeout = 1\n") as server, server.client() as client:
        [first_worker] = worker_pids(server)
        began = time.monotonic()
        status = wait_for(client, submit(client, long_release.encode("utf-8"), languages="en,fr"), timeout=30)
        assert time.monotonic() - began < 10
        assert status["state"] == "failed"
        assert status["error"] == ("the job took longer than this service allows (1 s, service.job_timeout); "
                                   "it was stopped. Send a shorter release, or ask for fewer languages at a time")
        assert all(entry["state"] == "failed" for entry in status["languages"])
        deadline = time.monotonic() + 20
        while client.get("/api/v1/health").json()["workers_alive"] != 1 or worker_pids(server) in ([], [first_worker]):
            assert time.monotonic() < deadline, "the worker was not replaced"
            time.sleep(0.1)
        assert first_worker not in worker_pids(server)
        assert not any(line.startswith("Traceback") for line in server.output().splitlines())
    assert f"took longer than service.job_timeout (1 s); stopping worker process {first_worker}" in server.output()


# --- Schemathesis against the service's own schema --------------------------------------------


def test_schemathesis_finds_no_server_error(server: Server, client: httpx.Client) -> None:
    """Every operation of /openapi.json with valid and invalid input, and those of a job with a real job's id: no 5xx."""
    schemathesis = pytest.importorskip("schemathesis")
    import requests
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode

    done = wait_for(client, submit(client, RELEASE.read_bytes(), languages="de"))
    assert done["state"] == "done", done["error"]
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    languages = schema.raw_schema["paths"]["/api/v1/jobs"]["post"]["parameters"][0]["schema"]["anyOf"][0]["items"]
    assert languages["enum"] == list(OFFERED)  # the schema names the choices, so valid input reaches the submission
    failures: list[str] = []
    calls = 0
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            fixed = [{}, {"job_id": done["id"]}] if "{job_id}" in operation.path else [{}]
            for path_parameters in fixed:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)

                    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
                              suppress_health_check=list(HealthCheck))
                    @given(case=strategy)
                    def run(case: Any) -> None:
                        nonlocal calls
                        calls += 1
                        response = case.call(base_url=server.url, session=session, headers={"X-API-Key": KEY}, timeout=30)
                        try:
                            case.validate_response(response, checks=[not_a_server_error])
                        except Exception as error:  # noqa: BLE001  # collected, all reported at the end
                            failures.append(f"{operation.label} ({mode.value}): {error}"[:2000])

                    try:
                        run()
                    except Unsatisfiable:  # no invalid input to make (an operation without parameters or body)
                        assert mode == GenerationMode.NEGATIVE, operation.label
    assert not failures, "\n\n".join(failures[:10])
    assert calls > 300
    assert "Traceback" not in server.output(), server.output()[-5000:]
