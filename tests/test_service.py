"""``presskit serve`` as a press office uses it: a real server process on 127.0.0.1, real HTTP, real builds.

One server (with an API key, one worker process) serves most tests of this
module; the tests that stop and start servers, or run one without keys, start
their own. Translation goes through the tiny real Argos fixture models
(``tests/argos_fixture.py``): their output is gibberish, so the tests check
structure — states, files, QA reports — never wording.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import EXAMPLES

PRESSKIT = Path(sys.executable).parent / "presskit"
KEY = "office-key-0123456789abcdef"
SECOND_KEY = "second-key-0123456789abcdef"
OFFERED = ("de", "en", "fr", "es")
RELEASE = EXAMPLES / "wasserstoff-netz.txt"
SLUG = "2025-05-15-landesregierung-gibt-startschuss-fuer-das-wasserstoff"
JOB_ID = re.compile(r"[0-9a-f]{32}")


# --- a real server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A ``presskit serve`` process in its own session (so a kill takes its workers too)."""

    process: subprocess.Popen[bytes]
    url: str
    folder: Path
    log: Path
    key: str | None

    def client(self, key: str | None = "default", *, headers: dict[str, str] | None = None, **options: Any) -> httpx.Client:
        """An HTTP client with the server's first key (or ``key``; None: no key)."""
        chosen = self.key if key == "default" else key
        sent = {**({"X-API-Key": chosen} if chosen else {}), **(headers or {})}
        return httpx.Client(base_url=self.url, headers=sent, timeout=30, **options)

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop as Ctrl-C would, and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """``kill -9`` the service and its workers at once, as a crash or a power cut would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)


def write_config(folder: Path, *, keys: Sequence[str], workers: int = 1, max_request_mb: float = 2, extra: str = "") -> Path:
    """``presskit.toml`` for a test service; ``extra`` is appended as it is (more ``[service]`` keys, other sections)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "presskit.toml"
    config.write_text(
        "[service]\n"
        f"api_keys = {json.dumps(list(keys))}\n"
        f"languages = {json.dumps(list(OFFERED))}\n"
        f"max_request_mb = {max_request_mb}\n"
        f"workers = {workers}\n"
        'jobs_dir = "jobs"\n'
        f"{extra}",
        encoding="utf-8",
    )
    return config


def service_env(folder: Path, packages: Path) -> dict[str, str]:
    """Private data, configuration and Argos folders, as ``tests/test_cli.py`` gives ``presskit``."""
    env = {key: value for key, value in os.environ.items() if key != "PRESSKIT_API_KEYS"}
    return {**env, "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(folder / "data"), "ARGOS_PACKAGES_DIR": str(packages),
            "XDG_DATA_HOME": str(folder / "xdg-data"), "XDG_CONFIG_HOME": str(folder / "xdg-config")}


def start_server(folder: Path, packages: Path, *, keys: Sequence[str] = (KEY,), workers: int = 1, extra: str = "") -> Server:
    """Start ``presskit serve`` on a free port with a config in ``folder``; wait until it answers."""
    config = write_config(folder, keys=keys, workers=workers, extra=extra)
    port = free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [str(PRESSKIT), "serve", "--host", "127.0.0.1", "--port", str(port), "--config", str(config)],
            cwd=folder, env=service_env(folder, packages), stdout=stream, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", folder=folder, log=log, key=keys[0] if keys else None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"presskit serve exited with code {process.returncode}:\n{server.output()}")
        with contextlib.suppress(httpx.TransportError):
            health = httpx.get(f"{server.url}/api/v1/health", timeout=2).json()
            if health["workers_alive"] == workers:
                return server
        time.sleep(0.1)
    server.kill()
    pytest.fail(f"presskit serve did not answer within 30 s:\n{server.output()}")


@contextlib.contextmanager
def running_server(folder: Path, packages: Path, **options: Any) -> Iterator[Server]:
    server = start_server(folder, packages, **options)
    try:
        yield server
    finally:
        server.stop()


def submit(client: httpx.Client, data: bytes, *, languages: str = "en", content_type: str = "text/plain") -> str:
    response = client.post("/api/v1/jobs", params={"languages": languages}, content=data, headers={"Content-Type": content_type})
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def wait_for(client: httpx.Client, job_id: str, *, timeout: float = 60) -> dict[str, Any]:
    """The job's status once it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish within {timeout} s: {status}")


@pytest.fixture(scope="module")
def server(installed_pairs: object, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("service"), argos_home, keys=(KEY, SECOND_KEY)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def english_job(client: httpx.Client) -> dict[str, Any]:
    """The example release translated into English, done."""
    return wait_for(client, submit(client, RELEASE.read_bytes(), languages="en"))


# --- the happy path -------------------------------------------------------------------------


def test_a_release_is_translated_typeset_and_downloadable(client: httpx.Client) -> None:
    response = client.post("/api/v1/jobs?languages=en", content=RELEASE.read_bytes(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 202
    accepted = response.json()
    assert JOB_ID.fullmatch(accepted["id"]) and accepted["state"] == "queued"
    assert response.headers["location"] == accepted["status_url"] == f"/api/v1/jobs/{accepted['id']}"

    seen_states: set[str] = set()
    deadline = time.monotonic() + 60
    while (status := client.get(accepted["status_url"]).json())["state"] not in ("done", "failed"):
        seen_states.update(entry["state"] for entry in status["languages"])
        assert 0 <= status["progress"] < 1
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
    assert status["state"] == "done", status["error"]
    assert seen_states <= {"queued", "translating", "translated", "rendering"}
    assert status["progress"] == 1 and status["error"] is None and status["finished"] is not None
    assert status["source_language"] == "de" and status["requested"] == ["en"]
    assert status["headline"] == "Landesregierung gibt Startschuss für das Wasserstoff-Kernnetz Westfalen"

    german, english = status["languages"]
    assert (german["language"], german["state"], german["route"], german["qa"]) == ("de", "done", None, None)
    assert english["language"] == "en" and english["state"] == "done"
    assert english["route"].startswith("de→en direct")
    assert {link["name"] for link in german["files"] + english["files"]} == {f"{lang}.{fmt}" for lang in ("de", "en") for fmt in ("pdf", "html", "json")}
    qa = english["qa"]
    assert qa["source_language"] == "de" and qa["target_language"] == "en" and isinstance(qa["passed"], bool)
    assert qa["segments"] and all({"location", "source", "target", "findings"} <= set(segment) for segment in qa["segments"])
    assert not qa["passed"], "the fixture model writes gibberish, which QA must fail"

    pdf = client.get(next(link["url"] for link in english["files"] if link["name"] == "en.pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{SLUG}-en.pdf"'
    release_json = client.get(f"{accepted['status_url']}/files/en.json").json()
    assert release_json["language"] == "en"

    archive = client.get(status["archive_url"])
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        names = set(files.namelist())
        assert {f"{SLUG}/{lang}.{fmt}" for lang in ("de", "en") for fmt in ("pdf", "html", "json")} <= names
        assert {f"{SLUG}/en.qa.json", f"{SLUG}/manifest.json"} <= names
        assert files.read(f"{SLUG}/en.pdf") == pdf.content

    preview = client.get(english["preview_url"])
    assert preview.headers["content-type"] == "image/png" and preview.content.startswith(b"\x89PNG\r\n\x1a\n")

    listed = client.get("/api/v1/jobs").json()["jobs"]
    assert listed[0]["id"] == accepted["id"] and listed[0]["state"] == "done" and listed[0]["languages"] == ["de", "en"]


def test_a_markdown_file_upload_and_pasted_release_json(client: httpx.Client) -> None:
    upload = client.post("/api/v1/jobs", data={"languages": "de"},
                         files={"file": ("kulturnacht.md", (EXAMPLES / "kulturnacht.md").read_bytes(), "application/octet-stream")})
    assert upload.status_code == 202, upload.text
    status = wait_for(client, upload.json()["id"])
    assert status["state"] == "done", status["error"]
    assert [entry["language"] for entry in status["languages"]] == ["de"]

    release_json = client.get(f"/api/v1/jobs/{status['id']}/files/de.json").content
    again = wait_for(client, submit(client, release_json, languages="de", content_type="application/json"))
    assert again["state"] == "done", again["error"]
    assert again["headline"] == status["headline"]


# --- bad input ------------------------------------------------------------------------------


def test_a_release_the_reader_cannot_read_fails_with_its_message(client: httpx.Client, server: Server) -> None:
    status = wait_for(client, submit(client, b"Pressemitteilung\n\n19. April 2024\n", languages="en"))
    assert "no release text found" in status["error"]
    assert status["state"] == "failed"
    assert status["error"].startswith("release.txt: "), status["error"]
    assert str(server.folder) not in status["error"]
    assert status["archive_url"] is None


def test_an_empty_release_is_refused(client: httpx.Client) -> None:
    response = client.post("/api/v1/jobs?languages=en", content=b" \n\t\n", headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert response.json() == {"detail": "the release is empty"}


def test_an_unsupported_content_type_is_refused(client: httpx.Client) -> None:
    response = client.post("/api/v1/jobs?languages=en", content=b"PK\x03\x04", headers={"Content-Type": "application/vnd.ms-excel"})
    assert response.status_code == 415
    assert "text/plain" in response.json()["detail"] and "multipart/form-data" in response.json()["detail"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        # es is configured, but no installed model leads there: offered are the languages that can be built.
        ("xx", "unknown language 'xx'; this service offers de, en, fr"),
        ("en,it", "language 'it' is not offered by this service; it offers de, en, fr"),
        ("", "no language given; ask for one or more of de, en, fr (languages=en,fr)"),
    ],
)
def test_languages_are_checked_against_the_offered_ones(client: httpx.Client, languages: str, message: str) -> None:
    response = client.post("/api/v1/jobs", params={"languages": languages}, content=RELEASE.read_bytes(),
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert response.json() == {"detail": message}


def test_a_language_without_a_model_is_refused_at_submit_saying_what_is_missing(client: httpx.Client) -> None:
    before = client.get("/api/v1/jobs").json()["jobs"]
    response = client.post("/api/v1/jobs", params={"languages": "en,es"}, content=RELEASE.read_bytes(),
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert response.json() == {"detail": "language 'es' cannot be built: no translation model from de to es is installed on "
                                         "this service (missing: translate-en_es); ask the service's administrator to install it"}
    assert client.get("/api/v1/jobs").json()["jobs"] == before  # nothing queued


def _raw_request(server: Server, head: str, body_chunks: Iterable[bytes] = ()) -> tuple[bytes, int]:
    """Send ``head``, then body chunks until the server answers; returns (the answer, bytes of body sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10) as connection:
        connection.sendall(head.encode("ascii"))
        for chunk in body_chunks:
            if select.select([connection], [], [], 0)[0]:
                break  # the server has answered
            try:
                connection.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while piece := connection.recv(65536):
                answer += piece
    return answer, sent


def test_a_body_over_the_limit_is_refused_before_it_is_read(server: Server) -> None:
    twenty_mb = 20 * 1024 * 1024
    path = "/api/v1/jobs?languages=en"
    # Content-Length says 20 MB: the answer comes before a single byte of the body is sent.
    answer, _ = _raw_request(server, f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {KEY}\r\n"
                                     f"Content-Type: text/plain\r\nContent-Length: {twenty_mb}\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body) == {"detail": "the request body is larger than this service accepts (2 MB; service.max_request_mb)"}

    # Chunked, without a length: counted as it streams in and stopped once past the limit (2 MB), long before 20 MB.
    chunk = b"x" * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(twenty_mb // len(chunk)))
    answer, sent = _raw_request(server, f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {KEY}\r\n"
                                        "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n", chunks)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < twenty_mb // 2


# --- keys -----------------------------------------------------------------------------------


def test_the_api_needs_a_valid_key(server: Server, english_job: dict[str, Any]) -> None:
    status_url = f"/api/v1/jobs/{english_job['id']}"
    with server.client(key=None) as anonymous:
        missing = anonymous.get(status_url)
        assert missing.status_code == 401
        assert missing.json()["detail"].startswith("this service needs an API key: send it as 'X-API-Key: <key>'")
        assert missing.headers["www-authenticate"].startswith("Bearer")
        assert anonymous.get("/api/v1/health").status_code == 200  # health needs no key
        assert anonymous.post("/api/v1/jobs?languages=en", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 401
        wrong = anonymous.get(status_url, headers={"X-API-Key": KEY[:-1] + "X"})
        assert wrong.status_code == 403 and wrong.json() == {"detail": "the API key is not valid"}
        bearer = anonymous.get(status_url, headers={"Authorization": f"Bearer {SECOND_KEY}"})
        assert bearer.status_code == 200 and bearer.json()["id"] == english_job["id"]


# --- paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/files/..%2F..%2Fjobs.sqlite",
        "/files/%2e%2e%2f%2e%2e%2fjobs.sqlite",
        "/files/..%2Frelease.txt",
        "/files/release.txt",
        "/files/manifest.json",
        "/files/en.qa.json",
        "/files/fr.pdf",
        "/files/en.pdf%00.txt",
        "/preview/..%2F..%2Fjobs.png",
    ],
)
def test_downloads_take_only_the_jobs_own_file_names(client: httpx.Client, english_job: dict[str, Any], path: str) -> None:
    response = client.get(f"/api/v1/jobs/{english_job['id']}{path}")
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("job_id", ["..%2F..%2Fetc", "%2e%2e", "0123456789ABCDEF0123456789ABCDEF", "x" * 32, "1" * 31])
def test_job_ids_are_checked_before_any_path_is_made(client: httpx.Client, job_id: str) -> None:
    response = client.get(f"/api/v1/jobs/{job_id}/files/en.pdf")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


# --- the HTTP interface ---------------------------------------------------------------------


def test_the_openapi_schema_describes_every_endpoint(server: Server) -> None:
    schema = httpx.get(f"{server.url}/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/health",
        "/api/v1/languages",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/files/{name}",
        "/api/v1/jobs/{job_id}/archive.zip",
        "/api/v1/jobs/{job_id}/preview/{language}.png",
    }
    submit_job = paths["/api/v1/jobs"]["post"]
    from toolkit.service.submit import MEDIA_TYPES

    assert set(submit_job["requestBody"]["content"]) == {*MEDIA_TYPES, "multipart/form-data"}
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= set(MEDIA_TYPES)
    assert {"202", "401", "403", "413", "415", "422", "503"} <= set(submit_job["responses"])
    status = paths["/api/v1/jobs/{job_id}"]["get"]
    assert status["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JobStatus"}
    assert status["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorMessage"}
    assert status["parameters"][0]["schema"]["pattern"] == "^[0-9a-f]{32}$"
    assert {"JobStatus", "LanguageStatus", "QAReport", "Accepted", "Health", "Languages", "ErrorMessage"} <= set(schema["components"]["schemas"])
    assert {"APIKeyHeader", "HTTPBearer"} <= set(schema["components"]["securitySchemes"])


def test_languages_lists_the_offered_languages_and_installed_models(client: httpx.Client) -> None:
    languages = client.get("/api/v1/languages").json()
    # de→en and en→fr installed: fr is reached through English; es, configured too, has no route.
    assert languages["offered"] == ["de", "en", "fr"]
    assert languages["unavailable"] == [{"language": "es", "missing": ["translate-en_es"]}]
    assert {(pair["source"], pair["target"]) for pair in languages["pairs"]} == {("de", "en"), ("en", "fr")}


def test_cross_site_writes_are_refused_and_cors_is_off(client: httpx.Client) -> None:
    refused = client.post("/api/v1/jobs?languages=en", content=RELEASE.read_bytes(),
                          headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "cross-site request refused: Origin 'https://evil.example' is not this service"}
    preflight = client.options("/api/v1/jobs", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


# --- the web page (without a browser; see test_service_browser.py) --------------------------


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def test_the_web_page_signs_in_with_a_key_and_speaks_german_or_english(server: Server) -> None:
    with server.client(key=None, follow_redirects=True, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}) as browser:
        login = browser.get("/")
        assert login.url.path == "/login"
        assert '<html lang="de">' in login.text and "API-Schlüssel" in login.text
        assert login.headers["content-security-policy"].startswith("default-src 'none'")
        token = _csrf(login)
        wrong = browser.post("/login", data={"key": "not-a-key", "csrf_token": token})
        assert wrong.status_code == 403 and "Dieser API-Schlüssel ist nicht gültig." in wrong.text
        forged = browser.post("/login", data={"key": KEY, "csrf_token": "forged"})
        assert forged.status_code == 403
        assert "presskit_session" not in browser.cookies

        signed_in = browser.post("/login?lang=en", data={"key": KEY, "csrf_token": token})
        assert signed_in.url.path == "/" and "Translate and typeset a press release" in signed_in.text
        cookie = next(header for header in signed_in.history[0].headers.get_list("set-cookie") if header.startswith("presskit_session="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert KEY not in cookie
        german = browser.get("/?lang=de")
        assert "Pressemitteilung übersetzen und setzen" in german.text and "Englisch" in german.text
        english = browser.get("/", headers={"Accept-Language": "fr;q=1, en;q=0.5, de;q=0.1"})
        assert "Translate and typeset a press release" in english.text


def test_the_web_form_builds_a_release_and_escapes_its_text(server: Server) -> None:
    hostile = RELEASE.read_text("utf-8").replace(
        "Landesregierung gibt Startschuss", "Landesregierung <script>alert(1)</script> gibt Startschuss", 1)
    with server.client(key=None, follow_redirects=True) as browser:
        token = _csrf(browser.get("/login"))
        browser.post("/login", data={"key": KEY, "csrf_token": token})
        no_token = browser.post("/jobs", data={"text": hostile, "languages": "de"}, files={"file": ("", b"")})
        assert no_token.status_code == 403

        page = browser.post("/jobs?lang=en", data={"text": hostile, "languages": ["de"], "format": "auto", "csrf_token": token},
                            files={"file": ("", b"")})
        assert page.status_code == 200 and re.fullmatch(r"/jobs/[0-9a-f]{32}", page.url.path), page.text
        deadline = time.monotonic() + 60
        while 'data-state="done"' not in page.text:
            assert 'data-state="failed"' not in page.text and time.monotonic() < deadline, page.text
            time.sleep(0.2)
            page = browser.get(page.url)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
        job_id = page.url.path.rsplit("/", 1)[1]
        pdf = browser.get(f"/jobs/{job_id}/files/de.pdf")
        assert pdf.content.startswith(b"%PDF-")
        assert browser.get(f"/jobs/{job_id}/preview/de.png").content.startswith(b"\x89PNG")

        empty = browser.post("/jobs?lang=en", data={"text": "", "languages": ["de"], "csrf_token": token}, files={"file": ("", b"")})
        assert empty.status_code == 422 and "The release was not submitted: the release is empty" in empty.text

    with server.client(key=None) as stranger:
        assert stranger.get(f"/jobs/{job_id}/files/de.pdf").status_code == 401


# --- worker processes -----------------------------------------------------------------------


def worker_pids(server: Server) -> list[int]:
    """The server's worker processes (children started by multiprocessing's spawn), from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == server.process.pid and b"spawn_main" in (stat.parent / "cmdline").read_bytes():
                pids.append(int(stat.parent.name))
    return pids


def test_a_worker_that_dies_fails_its_job_and_is_replaced(client: httpx.Client, server: Server) -> None:
    job_id = submit(client, RELEASE.read_bytes(), languages="en")
    deadline = time.monotonic() + 30
    while client.get(f"/api/v1/jobs/{job_id}").json()["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    [worker] = worker_pids(server)
    os.kill(worker, signal.SIGKILL)  # as the kernel's OOM killer would
    status = wait_for(client, job_id)
    assert status["state"] == "failed"
    assert status["error"] == ("the worker process building this job was killed by signal 9; "
                               "the release may be too large or trigger a bug")
    assert all(entry["state"] == "failed" for entry in status["languages"])
    replaced = wait_for(client, submit(client, RELEASE.read_bytes(), languages="de"))
    assert replaced["state"] == "done"
    assert client.get("/api/v1/health").json()["workers_alive"] == 1 and worker_pids(server) != [worker]


def test_a_second_service_on_the_same_jobs_folder_is_refused(server: Server, argos_home: Path) -> None:
    result = subprocess.run(
        [str(PRESSKIT), "serve", "--port", str(free_port()), "--config", str(server.folder / "presskit.toml")],
        cwd=server.folder, env=service_env(server.folder, argos_home), capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert f"{server.folder / 'jobs'}: another presskit service uses this jobs folder (service.jobs_dir)" in result.stderr


# --- without keys ---------------------------------------------------------------------------


def test_without_keys_the_service_refuses_a_public_address(tmp_path: Path, argos_home: Path) -> None:
    config = write_config(tmp_path, keys=())
    result = subprocess.run([str(PRESSKIT), "serve", "--host", "0.0.0.0", "--port", str(free_port()), "--config", str(config)],
                            cwd=tmp_path, env=service_env(tmp_path, argos_home), capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 1
    assert "refusing to serve on '0.0.0.0' without API keys" in result.stderr
    assert "service.api_keys" in result.stderr and "PRESSKIT_API_KEYS" in result.stderr


def test_a_restarted_service_keeps_its_jobs_and_builds_those_it_was_given(
    tmp_path: Path, installed_pairs: object, argos_home: Path
) -> None:
    """Without keys, on 127.0.0.1: killed with jobs waiting, started again on the same jobs folder."""
    first = start_server(tmp_path, argos_home, keys=())
    try:
        with first.client() as client:
            assert client.get("/api/v1/jobs").status_code == 200  # no key needed
            assert client.get("/api/v1/health", headers={"Host": "evil.example"}).status_code == 421
            finished = wait_for(client, submit(client, RELEASE.read_bytes(), languages="de"))
            assert finished["state"] == "done"
            running = submit(client, RELEASE.read_bytes(), languages="en")
            deadline = time.monotonic() + 10
            while client.get(f"/api/v1/jobs/{running}").json()["state"] != "running":
                assert time.monotonic() < deadline
                time.sleep(0.02)
            queued = submit(client, (EXAMPLES / "kulturnacht.md").read_bytes(), languages="de", content_type="text/markdown")
            assert client.get(f"/api/v1/jobs/{queued}").json()["state"] == "queued"
    finally:
        first.kill()

    with running_server(tmp_path, argos_home, keys=()) as second, second.client() as client:
        listed = {job["id"]: job["state"] for job in client.get("/api/v1/jobs").json()["jobs"]}
        assert listed.keys() == {finished["id"], running, queued} and listed[finished["id"]] == "done"
        assert client.get(f"/api/v1/jobs/{finished['id']}/files/de.pdf").content.startswith(b"%PDF-")
        for job_id in (running, queued):
            status = wait_for(client, job_id)
            assert status["state"] == "done", status["error"]
        assert [entry["language"] for entry in client.get(f"/api/v1/jobs/{running}").json()["languages"]] == ["de", "en"]
    assert "queued again 1 job(s) that were running when the service stopped" in second.output()


def test_a_word_document_is_built_like_a_text_release(client: httpx.Client, tmp_path: Path) -> None:
    """The API takes the formats the readers read, by Content-Type and as an upload."""
    from test_read_formats import write_docx

    data = write_docx(tmp_path / "release.docx").read_bytes()
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    status = wait_for(client, submit(client, data, languages="de", content_type=docx_type))
    assert status["state"] == "done", status
    uploaded = client.post("/api/v1/jobs", params={"languages": "de"}, files={"file": ("PM Solarpark.docx", data, docx_type)})
    assert uploaded.status_code == 202, uploaded.text
    assert wait_for(client, uploaded.json()["id"])["state"] == "done"
