"""Argos packages and the translation engine, with real packages of random weights.

The fixture models translate into gibberish, so these tests check what the
toolkit guarantees - installation, identities, routes, one output per input in
order, determinism, loading once, no network - never wording. The fixtures
``argos_home``, ``installed_pairs`` and ``no_network`` come from
``tests/argos_fixture.py`` through ``conftest.py``.
"""

from __future__ import annotations

import http.server
import json
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import ctranslate2
import pytest
from argos_fixture import FixturePairs, build_argos_package

from toolkit.errors import PressToolkitError
from toolkit.translate.engine import Engine, EngineOptions
from toolkit.translate.packages import (
    NoRouteError,
    find_route,
    install_file,
    install_from_index,
    installed_models,
    package_index_url,
    packages_dir,
    remove,
)
from toolkit.translate.routes import InstalledModel, Route

FAST = EngineOptions(max_decoding_length=24)

SENTENCES = [
    "Das Land Westfalen baut das Wasserstoff-Kernnetz.",
    "",
    "Die Netzbetreiber investieren rund 1,8 Milliarden Euro.",
    "Bis 2030 sollen 420 Kilometer Leitungen in Betrieb gehen.",
    "Ministerpräsidentin Katrin Albers: „Heute ist ein guter Tag.“",
]


@pytest.fixture
def own_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argos_home: Path) -> Path:
    """An empty packages folder of this test's own (the session's packages are untouched)."""
    folder = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built")


# --------------------------------------------------------------------------
# packages


def test_packages_dir_follows_the_environment_at_each_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "a"))
    assert packages_dir() == tmp_path / "a"
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "b")}))
    assert packages_dir() == tmp_path / "b"


def test_install_file_lists_the_package_with_its_identity(own_packages: Path, built: Path) -> None:
    archive = build_argos_package(built / "v1", source="de", target="en", version="1.2")
    model = install_file(archive)
    assert isinstance(model, InstalledModel)
    assert (model.source, model.target, model.name, model.version) == ("de", "en", "translate-de_en", "1.2")
    assert model.path == own_packages / "translate-de_en"
    assert (model.path / "metadata.json").is_file() and (model.path / "model" / "model.bin").is_file()
    assert model.identity.startswith("de-en:translate-de_en@1.2:")
    assert len(model.identity.rsplit(":", 1)[1]) == 12
    assert installed_models() == [model]


def test_installed_models_reads_the_folder_set_now(own_packages: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_file(build_argos_package(built / "now", source="de", target="en"))
    assert [m.name for m in installed_models()] == ["translate-de_en"]
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(own_packages.parent / "elsewhere"))
    assert installed_models() == []


def test_identity_changes_with_the_model_and_only_with_it(own_packages: Path, built: Path) -> None:
    first = install_file(build_argos_package(built / "s0", source="de", target="en", seed=0)).identity
    again = install_file(build_argos_package(built / "s0-again", source="de", target="en", seed=0)).identity
    other = install_file(build_argos_package(built / "s1", source="de", target="en", seed=1)).identity
    assert first == again
    assert other != first and other.rsplit(":", 1)[0] == first.rsplit(":", 1)[0]
    assert len(installed_models()) == 1  # the new install replaced the old one


def test_stray_folder_is_skipped_with_a_warning(own_packages: Path, built: Path) -> None:
    install_file(build_argos_package(built / "stray", source="de", target="en"))
    (own_packages / "leftover").mkdir()
    with pytest.warns(UserWarning, match="leftover"):
        assert [m.name for m in installed_models()] == ["translate-de_en"]


def test_remove(own_packages: Path, built: Path) -> None:
    install_file(build_argos_package(built / "rm-de", source="de", target="en"))
    kept = install_file(build_argos_package(built / "rm-en", source="en", target="fr"))
    removed = remove("de", "en")
    assert removed.name == "translate-de_en"
    assert not removed.path.exists()
    assert installed_models() == [kept]
    with pytest.raises(PressToolkitError, match="no de→en package is installed"):
        remove("de", "en")


def test_install_file_missing_file(own_packages: Path, tmp_path: Path) -> None:
    missing = tmp_path / "translate-de_en-1_0.argosmodel"
    with pytest.raises(PressToolkitError, match="no such file") as caught:
        install_file(missing)
    assert str(missing) in str(caught.value)


def test_install_file_not_a_zip(own_packages: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("<html>404 Not Found</html>")
    with pytest.raises(PressToolkitError, match="zip archive") as caught:
        install_file(bogus)
    assert str(bogus) in str(caught.value)


def test_install_file_zip_without_metadata(own_packages: Path, tmp_path: Path) -> None:
    archive = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("translate-de_en/model/model.bin", b"\0")
    with pytest.raises(PressToolkitError, match="metadata.json") as caught:
        install_file(archive)
    assert str(archive) in str(caught.value)
    assert not own_packages.exists() or not any(own_packages.iterdir())


def test_install_file_bad_metadata(own_packages: Path, built: Path, tmp_path: Path) -> None:
    good = build_argos_package(built / "meta", source="de", target="en")
    broken = tmp_path / "broken.argosmodel"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("metadata.json"):
                data = b'{"package_version": "1.0", "from_code": "de",'
            target.writestr(item, data)
    with pytest.raises(PressToolkitError, match="metadata.json is not valid JSON") as caught:
        install_file(broken)
    assert str(broken) in str(caught.value)


# --------------------------------------------------------------------------
# routes


def test_find_route_direct(installed_pairs: FixturePairs) -> None:
    route = find_route("de", "en")
    assert route.steps == (installed_pairs.de_en,)
    assert route.pivot is None
    assert route.identity == installed_pairs.de_en.identity
    assert route.describe() == "de→en direct (translate-de_en 1.0)"


def test_find_route_pivots_through_english(installed_pairs: FixturePairs) -> None:
    route = find_route("de", "fr")
    assert route.steps == (installed_pairs.de_en, installed_pairs.en_fr)
    assert route.pivot == "en"
    assert "via en" in route.describe()
    assert route.describe() == "de→fr via en (translate-de_en 1.0, translate-en_fr 1.0)"
    assert installed_pairs.de_en.identity in route.identity and installed_pairs.en_fr.identity in route.identity


def test_find_route_prefers_the_highest_version(installed_pairs: FixturePairs) -> None:
    newer = InstalledModel(**{**vars(installed_pairs.de_en), "version": "1.10", "identity": "x"})
    assert find_route("de", "en", [installed_pairs.de_en, newer, installed_pairs.en_fr]).steps == (newer,)


def test_no_route_names_the_missing_package_and_both_install_commands(installed_pairs: FixturePairs) -> None:
    with pytest.raises(NoRouteError) as caught:
        find_route("de", "pl")
    message = str(caught.value)
    assert caught.value.missing == ("translate-en_pl",)
    assert "translate-en_pl" in message
    assert "presskit models install en pl" in message
    assert "presskit models install-file translate-en_pl-<version>.argosmodel" in message
    assert "https://www.argosopentech.com/argospm/index/" in message
    assert package_index_url() in message
    assert "translate-de_en" not in message.split(";")[1]  # de→en is installed: not asked for


def test_no_route_with_nothing_installed_asks_for_both_pivot_packages() -> None:
    with pytest.raises(NoRouteError) as caught:
        find_route("it", "nl", models=[])
    assert caught.value.missing == ("translate-it_en", "translate-en_nl")
    message = str(caught.value)
    assert "presskit models install it en; presskit models install en nl" in message
    assert "install-file translate-it_en-<version>.argosmodel" in message


def test_route_to_and_from_english_does_not_pivot(installed_pairs: FixturePairs) -> None:
    with pytest.raises(NoRouteError) as caught:
        find_route("en", "de")
    assert caught.value.missing == ("translate-en_de",)


# --------------------------------------------------------------------------
# engine


def test_translate_one_output_per_input_in_order(installed_pairs: FixturePairs) -> None:
    engine = Engine(FAST)
    route = find_route("de", "en")
    outputs = engine.translate(SENTENCES, route)
    assert len(outputs) == len(SENTENCES)
    assert outputs[1] == ""
    assert all(isinstance(o, str) and o.strip() for i, o in enumerate(outputs) if i != 1)
    # order: each sentence alone gives the same output as in the batch
    alone = [engine.translate([s], route)[0] for s in SENTENCES]
    assert alone == outputs
    assert engine.translate(list(reversed(SENTENCES)), route) == list(reversed(outputs))


def test_translate_is_deterministic(installed_pairs: FixturePairs) -> None:
    route = find_route("de", "fr")
    assert Engine(FAST).translate(SENTENCES, route) == Engine(FAST).translate(SENTENCES, route)


def test_empty_inputs_do_not_touch_the_model(installed_pairs: FixturePairs) -> None:
    engine = Engine(FAST)
    assert engine.translate(["", "", " "], find_route("de", "fr")) == ["", "", " "]
    assert engine.translate([], find_route("de", "en")) == []
    assert engine._cache == {}


def test_pivot_translates_through_both_models(installed_pairs: FixturePairs) -> None:
    engine = Engine(FAST)
    pivot = engine.translate(SENTENCES, find_route("de", "fr"))
    english = engine.translate(SENTENCES, find_route("de", "en"))
    assert pivot == engine.translate(english, find_route("en", "fr"))
    assert len(pivot) == len(SENTENCES) and all(o.strip() for i, o in enumerate(pivot) if i != 1)


def test_models_are_loaded_once_and_called_once_per_step(installed_pairs: FixturePairs, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    real = ctranslate2.Translator

    def counting(path: str, **kwargs: object) -> ctranslate2.Translator:
        loads.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    engine = Engine(FAST)
    route = find_route("de", "fr")
    engine.translate(SENTENCES, route)
    first = {path: loaded.translator for path, loaded in engine._cache.items()}
    engine.translate(SENTENCES[:2], route)
    engine.translate(SENTENCES, find_route("de", "en"))
    assert sorted(loads) == sorted(str(step.path / "model") for step in route.steps)
    assert set(engine._cache) == {step.path / "model" for step in route.steps}
    assert all(engine._cache[path].translator is translator for path, translator in first.items())

    calls: dict[Path, list[list[int]]] = {path: [] for path in engine._cache}
    for path, loaded in engine._cache.items():
        translator = loaded.translator

        class Spy:
            def __init__(self, inner: ctranslate2.Translator, seen: list[list[int]]) -> None:
                self.inner, self.seen = inner, seen

            def translate_batch(self, tokens: list[list[str]], **kwargs: object) -> object:
                self.seen.append([len(pieces) for pieces in tokens])
                assert kwargs["max_batch_size"] == FAST.max_batch_size and kwargs["batch_type"] == FAST.batch_type
                assert kwargs["asynchronous"] is True  # every batch queued at once
                return self.inner.translate_batch(tokens, **kwargs)

        loaded.translator = Spy(translator, calls[path])
    engine.translate(SENTENCES * 20, route)
    for step_calls in calls.values():
        # Each non-empty sentence reaches the model once per step, in batches of one sentence length (no padding)
        # of at most max_batch_size tokens; a length needs a second batch only when the first is full.
        assert sum(len(batch) for batch in step_calls) == 4 * 20
        assert all(len(set(batch)) == 1 and sum(batch) <= FAST.max_batch_size for batch in step_calls)
        lengths = [batch[0] for batch in step_calls]
        assert lengths == sorted(lengths, reverse=True)  # longest first
        assert all(sum(a) + b[0] > FAST.max_batch_size for a, b in zip(step_calls, step_calls[1:]) if a[0] == b[0])


@pytest.mark.parametrize("beam", [2, 4])
@pytest.mark.parametrize("layers", [1, 3])
def test_outputs_are_those_of_each_sentence_alone_as_argos_translates(own_packages: Path, built: Path, beam: int,
                                                                       layers: int) -> None:
    """Batching never changes a word: each output is what Argos's per-paragraph call gives the sentence alone.

    Two things make CTranslate2's int8 output for a sentence depend on the rest of its batch. ``replace_unknowns``:
    with the 3-layer model, translating these 25 sentences in one batch with it changed 10 outputs at beam 2 and 8 at
    beam 4 (which source piece replaces an ``<unk>`` follows near-tied attention; AVX2 machine, CTranslate2 4.x), so
    the engine replaces unknowns only in a sentence translated alone. Padding: shown by the real-size model of
    ``benchmarks/translate_bench.py``, which asserts the same identity; the engine's batches are never padded.
    """
    from argos_fixture import CORPUS

    shape = {"layers": 3, "d_model": 128, "heads": 4, "ffn": 256} if layers == 3 else {}
    model = install_file(build_argos_package(built / f"alone-{layers}", source="de", target="en", seed=1, **shape))
    route = Route(source="de", target="en", steps=(model,))
    german = [line for line in CORPUS.splitlines()[:12] if line.strip()]
    sentences = german + [s for s in SENTENCES if s] + [f"{a} {b}" for a, b in zip(german, german[3:])]
    engine = Engine(EngineOptions(beam_size=beam, max_decoding_length=24))
    outputs = engine.translate(sentences, route)
    loaded = engine._cache[model.path / "model"]
    tokens = loaded.tokenizer.encode(sentences, out_type=str)
    assert len({len(pieces) for pieces in tokens}) > 10  # lengths differ: a batch of them all would be padded
    # Argos (apply_packaged_translation): one translate_batch per paragraph, batch_type="tokens", max_batch_size=32.
    alone = ctranslate2.Translator(str(model.path / "model"), device="cpu", compute_type="int8", inter_threads=1,
                                   intra_threads=1)
    expected = []
    for pieces in tokens:
        [result] = alone.translate_batch([pieces], max_batch_size=32, batch_type="tokens", beam_size=beam, num_hypotheses=1,
                                         length_penalty=0.2, max_decoding_length=24, replace_unknowns=True)
        expected.append(Engine._decode(loaded, result.hypotheses[0]))
    assert outputs == expected
    # The thread layout and the batch size change how fast, never what comes out.
    for other in (EngineOptions(beam_size=beam, max_decoding_length=24, threads=1, max_batch_size=40),
                  EngineOptions(beam_size=beam, max_decoding_length=24, threads=2, inter_threads=1, batch_type="examples",
                                max_batch_size=3)):
        assert Engine(other).translate(sentences, route) == outputs


def test_target_prefix_from_metadata(own_packages: Path, built: Path) -> None:
    model = install_file(build_argos_package(built / "prefix", source="en", target="fr", target_prefix="__fr__"))
    engine = Engine(FAST)
    seen: list[object] = []
    outputs = engine.translate(["The network is being built."], Route(source="en", target="fr", steps=(model,)))
    loaded = next(iter(engine._cache.values()))
    assert loaded.target_prefix == "__fr__"
    inner = loaded.translator

    class Spy:
        def translate_batch(self, tokens: list[list[str]], **kwargs: object) -> object:
            seen.append(kwargs["target_prefix"])
            return inner.translate_batch(tokens, **kwargs)

    loaded.translator = Spy()
    assert engine.translate(["The network is being built."], Route(source="en", target="fr", steps=(model,))) == outputs
    # One batch; a second call for the sentence alone when its output had an <unk> to replace.
    assert seen in ([[["__fr__"]]], [[["__fr__"]], [["__fr__"]]])
    assert outputs[0].strip() and not outputs[0].startswith("__fr__")


def test_translation_never_touches_the_network(installed_pairs: FixturePairs, no_network: None) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))  # the block works
    engine = Engine(FAST)
    route = find_route("de", "fr")  # reading installed packages is offline too
    outputs = engine.translate(SENTENCES, route)
    assert len(outputs) == len(SENTENCES) and outputs[0].strip()


def test_install_from_index_offline_gives_the_way_to_install_a_file(own_packages: Path, no_network: None) -> None:
    with pytest.raises(PressToolkitError) as caught:
        install_from_index("de", "en")
    message = str(caught.value)
    assert message.startswith(f"cannot reach the Argos package index ({package_index_url()}")
    assert "download translate-de_en-<version>.argosmodel elsewhere" in message
    assert "run `presskit models install-file PATH`" in message


@pytest.fixture
def local_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: Path) -> Iterator[Path]:
    """An Argos package index served over HTTP on 127.0.0.1 (the online path, without internet)."""
    import functools
    import threading

    served = tmp_path / "served"
    served.mkdir()
    archive = build_argos_package(served, source="de", target="en", version="1.9")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entries = [
        {"package_version": "1.9", "argos_version": "1.9.0", "from_code": "de", "from_name": "German", "to_code": "en",
         "to_name": "English", "type": "translate", "links": [base + archive.name]},
        {"package_version": "1.0", "argos_version": "1.0", "from_code": "de", "from_name": "German", "to_code": "en",
         "to_name": "English", "links": [base + "old.argosmodel"]},
        {"package_version": "1.0", "from_code": "en", "to_code": "fr", "links": [base + "missing.argosmodel"]},
    ]
    (served / "index.json").write_text(json.dumps(entries))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_install_from_index_downloads_the_newest_package(own_packages: Path, local_index: Path) -> None:
    model = install_from_index("de", "en")
    assert (model.source, model.target, model.version) == ("de", "en", "1.9")
    assert installed_models() == [model]


def test_install_from_index_errors(own_packages: Path, local_index: Path) -> None:
    with pytest.raises(PressToolkitError, match=r"index has no de→fr package \(from de: en\); install both through English") as caught:
        install_from_index("de", "fr")
    assert "presskit models install de en" in str(caught.value)
    with pytest.raises(PressToolkitError, match=r"cannot download translate-en_fr-1_0.argosmodel .*HTTP 404"):
        install_from_index("en", "fr")
