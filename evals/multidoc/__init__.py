"""The multi-document evaluation set (documents, questions, loader): see dataset.py."""
