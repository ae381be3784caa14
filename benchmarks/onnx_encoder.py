"""multilingual-e5-small through ONNX Runtime (float32, or dynamic int8), for the comparisons.

The model folder that :mod:`assistant.models.e5model` builds is exported once, offline,
with ``torch.onnx.export`` (the transformer only: mean pooling and normalisation
are done here in NumPy, as sentence-transformers does them), then quantised with
ONNX Runtime's dynamic int8 quantisation. Files go under
``$ASSISTANT_CACHE_DIR/onnx/`` (or ``~/.cache/assistant/onnx/``).

Why not sentence-transformers' own ``backend="onnx"``: it needs ``optimum-onnx``,
whose only release (0.1.0) requires ``transformers<4.58``, and this project runs
transformers 5 (sentence-transformers 6). The computation is the same: the
exported graph, the same tokenizer, mean pooling, L2 normalisation.

Needs the ``bench`` extra (``onnx``, ``onnxruntime``). Non-goals: GPU, static
quantisation, use by the app (it stays on PyTorch unless the benchmark says otherwise).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

__all__ = ["OnnxEncoder", "export"]


def _cache_root() -> Path:
    base = os.environ.get("ASSISTANT_CACHE_DIR") or Path.home() / ".cache" / "assistant"
    return Path(base) / "onnx"


def export(model_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    """``model.onnx`` (float32) and ``model_int8.onnx`` in ``out_dir``, exported once."""
    fp32, int8 = out_dir / "model.onnx", out_dir / "model_int8.onnx"
    if not fp32.exists():
        import torch
        from transformers import AutoModel

        out_dir.mkdir(parents=True, exist_ok=True)
        bert = AutoModel.from_pretrained(str(model_dir)).eval()

        class Body(torch.nn.Module):  # keyword arguments: BertModel's positional order varies
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask):
                out = self.bert(input_ids=input_ids, attention_mask=attention_mask)
                return out.last_hidden_state

        model = Body().eval()
        ids = torch.ones((2, 16), dtype=torch.long)
        tmp = out_dir / ".model.onnx.tmp"
        with torch.no_grad():
            torch.onnx.export(
                model,
                (ids, torch.ones_like(ids)),
                str(tmp),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "seq"},
                    "attention_mask": {0: "batch", 1: "seq"},
                    "last_hidden_state": {0: "batch", 1: "seq"},
                },
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, fp32)
    if not int8.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = out_dir / ".model_int8.onnx.tmp"
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
        os.replace(tmp, int8)
    return fp32, int8


class OnnxEncoder:
    """Same interface as :class:`assistant.models.encoder.SentenceTransformerEncoder`."""

    def __init__(self, *, int8: bool = False, batch_size: int = 16, threads: int = 0) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        from assistant.models.e5model import DEFAULT_MODEL_ID, ensure_model, weights_fingerprint

        model_dir = ensure_model()
        fp32, q8 = export(model_dir, _cache_root() / weights_fingerprint()[:16])
        self.id = DEFAULT_MODEL_ID  # the same model (abstention calibrated for it), another runtime
        self.label = "ONNX Runtime " + ("int8" if int8 else "fp32")
        self.fingerprint = f"onnx:{'int8' if int8 else 'fp32'}:{weights_fingerprint()}"
        self.dim = 384
        self.batch_size = batch_size
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or (os.cpu_count() or 1)
        self._session = ort.InferenceSession(
            str(q8 if int8 else fp32), opts, providers=["CPUExecutionProvider"]
        )
        self._tok = AutoTokenizer.from_pretrained(str(model_dir))
        cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text())
        prompts = cfg.get("prompts", {})
        self._query, self._passage = prompts.get("query", ""), prompts.get("passage", "")

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self._tok(texts, padding=True, truncation=True, max_length=512, return_tensors="np")
        feeds = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": enc["attention_mask"].astype(np.int64),
        }
        hidden = self._session.run(None, feeds)[0]  # (batch, seq, dim)
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for s in range(0, len(texts), self.batch_size):
            rows = order[s : s + self.batch_size]
            out[rows] = self._batch([prefix + texts[i] for i in rows])
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        if progress:
            print(f"Encodage ONNX de {len(texts)} textes …", file=sys.stderr)
        return self._encode(texts, self._passage)
