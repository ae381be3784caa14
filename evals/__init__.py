"""Evaluation of the assistant on hand-written questions (see evals/README.md)."""
