"""Real Argos Translate packages with random weights, for tests and benchmarks.

No real translation model can be downloaded here, so :func:`build_argos_package`
makes one that has everything a real ``.argosmodel`` has and nothing fake
about its format:

* a SentencePiece unigram model trained (offline, in about 0.1 s) on a few
  dozen German, English and French press sentences plus one line holding every
  ASCII letter, digit and punctuation mark and the German and French accented
  letters, so no ordinary character of a release becomes ``<unk>``;
* a CTranslate2 Transformer (``TransformerSpec.from_config``) whose weights are
  seeded numpy noise, with the SentencePiece pieces as its shared vocabulary;
* ``metadata.json`` with the fields :class:`argostranslate.package.Package`
  reads, zipped as ``<name>/...`` like the packages of the Argos index.

The output of such a model is gibberish, but it is deterministic, and the end
of sentence token is made unreachable (a large negative projection bias), so
every non-empty input decodes to exactly ``max_decoding_length`` tokens. Tests
therefore assert what the pipeline guarantees (one output per input, order,
determinism, no network), never wording.

The pytest fixtures ``argos_home``, ``installed_pairs`` and ``no_network`` are
defined here; import them into a conftest or test module to use them.
"""

from __future__ import annotations

import functools
import json
import socket
import string
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from toolkit.translate.routes import InstalledModel

__all__ = [
    "CORPUS",
    "FixturePairs",
    "argos_home",
    "build_argos_package",
    "installed_pairs",
    "no_network",
    "train_sentencepiece",
]

LANGUAGE_NAMES = {"de": "German", "en": "English", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch", "pl": "Polish"}

#: Training text of the SentencePiece model: press sentences in three languages.
CORPUS = """\
Das Land Westfalen und fünf Netzbetreiber bauen gemeinsam das Wasserstoff-Kernnetz.
Die Ministerpräsidentin unterzeichnete am Donnerstag in Hamm eine Vereinbarung.
Bis 2030 sollen rund 420 Kilometer Leitungen in Betrieb gehen.
Die Netzbetreiber investieren rund 1,8 Milliarden Euro.
Das Land beteiligt sich mit bis zu 240 Millionen Euro an den Kosten.
Die ersten Abschnitte sollen bereits 2027 in Betrieb gehen.
Die Unternehmen können jährlich bis zu 4,6 Millionen Tonnen CO2 einsparen.
Die Bezirksregierungen prüfen die Unterlagen für die neuen Leitungen parallel.
„Heute ist ein guter Tag für die Industrie“, sagte die Ministerpräsidentin.
Die Kulturnacht beginnt am Samstag um 18 Uhr auf dem Marktplatz.
Der Eintritt ist frei; Anmeldungen sind nicht erforderlich.
Weitere Informationen erhalten Sie bei der Pressestelle der Stadt.
Über 60 Museen, Galerien und Theater öffnen ihre Türen bis Mitternacht.
Ab Juni folgen Informationsabende in allen Kreisen und kreisfreien Städten.
The state of Westphalia and five network operators are jointly building the hydrogen core network.
The minister president signed an agreement in Hamm on Thursday.
Around 420 kilometres of pipelines are to go into operation by 2030.
The network operators are investing around 1.8 billion euros.
The state will contribute up to 240 million euros to the costs.
The first sections are due to go into operation as early as 2027.
Companies can save up to 4.6 million tonnes of CO2 a year.
"Today is a good day for industry," said the minister president.
The culture night begins on Saturday at 6 p.m. on the market square.
Admission is free; registration is not required.
Further information is available from the city's press office.
More than 60 museums, galleries and theatres open their doors until midnight.
Information evenings will follow in all districts from June.
Le Land de Westphalie et cinq gestionnaires de réseau construisent ensemble le réseau central d'hydrogène.
La ministre-présidente a signé jeudi un accord à Hamm.
D'ici 2030, environ 420 kilomètres de conduites doivent être mis en service.
Les gestionnaires de réseau investissent environ 1,8 milliard d'euros.
Le Land participe aux coûts à hauteur de 240 millions d'euros.
Les premiers tronçons doivent entrer en service dès 2027.
Les entreprises peuvent économiser jusqu'à 4,6 millions de tonnes de CO2 par an.
« C'est un bon jour pour l'industrie », a déclaré la ministre-présidente.
La nuit de la culture commence samedi à 18 heures sur la place du marché.
L'entrée est libre ; l'inscription n'est pas nécessaire.
Vous trouverez de plus amples informations auprès du service de presse de la ville.
Plus de 60 musées, galeries et théâtres ouvrent leurs portes jusqu'à minuit.
Des soirées d'information suivront dans tous les arrondissements à partir de juin.
"""

#: One line so that every ASCII letter, digit and punctuation mark and the
#: German and French letters are pieces of the vocabulary (character_coverage=1.0).
COVERAGE_LINE = " ".join(
    [string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation, "äöüÄÖÜß éèêëàâçîïôûùœÉÈÀÇ „“‚‘«»–—…€%§°"]
)

VOCAB_SIZE = 320


@functools.lru_cache(maxsize=8)
def train_sentencepiece(*, vocab_size: int = VOCAB_SIZE, user_defined_symbols: tuple[str, ...] = ()) -> bytes:
    """Train the fixture's SentencePiece model and return the serialized model.

    Unigram, ``character_coverage=1.0``, ``hard_vocab_limit=False`` (the corpus
    is small, so the vocabulary may come out a little below ``vocab_size``),
    one thread and no sampling so the model is byte-for-byte reproducible.
    """
    import io

    import sentencepiece as spm

    lines = [*CORPUS.splitlines(), COVERAGE_LINE, COVERAGE_LINE.upper()]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        user_defined_symbols=list(user_defined_symbols),
        minloglevel=2,
    )
    return model.getvalue()


def _random_weights(spec: object, *, d_model: int, ffn: int, vocab: list[str], seed: int) -> None:
    """Fill every unset weight of a TransformerSpec with seeded noise of the right shape."""
    from ctranslate2.specs import model_spec

    rng = np.random.default_rng(seed)
    size = len(vocab)
    eos = vocab.index("</s>")

    def shape_of(name: str) -> tuple[int, ...]:
        parts = name.split("/")
        attr, layer = parts[-1], parts[-2]
        if attr in ("gamma", "beta"):
            return (d_model,)
        if layer.startswith("embeddings") or layer == "projection":
            return (size, d_model) if attr == "weight" else (size,)
        if "ffn" in parts:
            out_dim, in_dim = (ffn, d_model) if layer == "linear_0" else (d_model, ffn)
        elif "self_attention" in parts:
            out_dim, in_dim = (3 * d_model, d_model) if layer == "linear_0" else (d_model, d_model)
        elif "attention" in parts:  # encoder-decoder attention: query, fused key+value, output
            out_dim, in_dim = (2 * d_model, d_model) if layer == "linear_1" else (d_model, d_model)
        else:
            raise ValueError(f"no shape rule for {name}")
        return (out_dim, in_dim) if attr == "weight" else (out_dim,)

    def fill(layer_spec: object, name: str, value: object) -> None:
        attr = name.split("/")[-1]
        if value is None:
            pass
        elif attr == "bias" and isinstance(value, str) and value == model_spec.OPTIONAL:
            pass  # real OpenNMT models have biases; set them too
        else:
            return
        shape = shape_of(name)
        if attr == "gamma":
            array = np.ones(shape, dtype=np.float32)
        elif attr == "beta":
            array = np.zeros(shape, dtype=np.float32)
        elif attr == "bias":
            array = rng.normal(0.0, 0.02, shape).astype(np.float32)
            if name.endswith("projection/bias"):
                array[eos] = -1.0e4  # never end: every output has max_decoding_length tokens
        else:
            array = rng.normal(0.0, 1.0 / np.sqrt(shape[-1]), shape).astype(np.float32)
        setattr(layer_spec, attr, array)

    spec._visit(fill)  # type: ignore[attr-defined]


def build_argos_package(
    dest_dir: Path,
    *,
    source: str,
    target: str,
    version: str = "1.0",
    layers: int = 1,
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
    target_prefix: str = "",
    pad_vocabulary_to: int | None = None,
    quantization: str | None = None,
) -> Path:
    """Build a real ``.argosmodel`` zip with random weights; return its path.

    The file is ``dest_dir/translate-<source>_<target>-<version with _>.argosmodel``
    (the naming of the Argos index) holding ``translate-<source>_<target>/``
    with ``metadata.json``, ``sentencepiece.model``, ``model/{model.bin,
    config.json, shared_vocabulary.json}`` and a README. ``target_prefix``
    (optional) goes into the metadata as Argos's multilingual packages have
    it, and into the vocabulary as a user-defined symbol.

    For benchmarks: ``pad_vocabulary_to`` appends filler tokens (``▁x<n>``, never
    produced by the SentencePiece model) to the CTranslate2 vocabulary so the
    embeddings and output projection have a real model's size (Argos models
    have tens of thousands of pieces); ``quantization`` (e.g. ``"int8"``, as
    Argos's models are converted) is applied like ``ct2-*-converter
    --quantization`` does before saving.
    """
    import ctranslate2
    import sentencepiece as spm

    if d_model % heads:
        raise ValueError(f"d_model {d_model} is not divisible by {heads} heads")
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{source}_{target}"
    symbols = (target_prefix,) if target_prefix else ()
    sp_model = train_sentencepiece(user_defined_symbols=symbols)
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if pad_vocabulary_to is not None and pad_vocabulary_to > len(vocab):
        vocab += [f"\u2581x{i}" for i in range(pad_vocabulary_to - len(vocab))]

    spec = ctranslate2.specs.TransformerSpec.from_config(layers, heads)
    _random_weights(spec, d_model=d_model, ffn=ffn, vocab=vocab, seed=seed)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)

    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": source,
        "from_name": LANGUAGE_NAMES.get(source, source),
        "to_code": target,
        "to_name": LANGUAGE_NAMES.get(target, target),
        "type": "translate",
        "code": name,
        "links": [f"https://example.invalid/{name}-{version.replace('.', '_')}.argosmodel"],
        "languages": [],
        "dependencies": [],
        "source_languages": [],
        "target_languages": [],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix

    archive = dest_dir / f"{name}-{version.replace('.', '_')}.argosmodel"
    with tempfile.TemporaryDirectory(prefix="argos-fixture-") as work:
        model_dir = Path(work) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=4), compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr(f"{name}/sentencepiece.model", sp_model, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr(
                f"{name}/README.md",
                f"Test fixture {name} {version}: random weights (seed {seed}), output is gibberish.\n",
                compress_type=zipfile.ZIP_DEFLATED,
            )
            for path in sorted(model_dir.iterdir()):
                # model.bin is random floats: deflating it takes time and saves nothing
                compress = zipfile.ZIP_STORED if path.name == "model.bin" else zipfile.ZIP_DEFLATED
                zf.write(path, f"{name}/model/{path.name}", compress_type=compress)
    return archive


# --------------------------------------------------------------------------
# pytest fixtures


@pytest.fixture(scope="session")
def argos_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private Argos home for the session; returns its packages folder.

    Sets ``ARGOS_PACKAGES_DIR`` and ``XDG_DATA_HOME`` / ``XDG_CONFIG_HOME`` /
    ``XDG_CACHE_HOME`` (Argos creates its folders under these when imported),
    so nothing is read from or written to ``~/.local`` or ``~/.config``.
    """
    home = tmp_path_factory.mktemp("argos-home")
    packages = home / "data" / "argos-translate" / "packages"
    packages.mkdir(parents=True)
    patch = pytest.MonkeyPatch()
    patch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    patch.setenv("XDG_DATA_HOME", str(home / "data"))
    patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    try:
        yield packages
    finally:
        patch.undo()


@dataclass(frozen=True)
class FixturePairs:
    """The fixture packages installed for the session, and their built files."""

    de_en: InstalledModel
    en_fr: InstalledModel
    files: dict[tuple[str, str], Path]


@pytest.fixture(scope="session")
def installed_pairs(argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> FixturePairs:
    """de→en and en→fr fixture packages, installed with ``install_file`` (the users' path)."""
    from toolkit.translate.packages import install_file

    built = tmp_path_factory.mktemp("argos-built")
    files = {
        ("de", "en"): build_argos_package(built, source="de", target="en", seed=1),
        ("en", "fr"): build_argos_package(built, source="en", target="fr", seed=2),
    }
    return FixturePairs(de_en=install_file(files["de", "en"]), en_fr=install_file(files["en", "fr"]), files=files)


class NetworkBlocked(OSError):
    """Raised by every socket connection while ``no_network`` is active."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every attempt to open a network connection raise :class:`NetworkBlocked`."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkBlocked(f"network access attempted: {args[1:] or args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

