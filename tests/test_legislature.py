"""The legislature generator: recombined pages that the parser reads like published ones."""

from __future__ import annotations

from assistant.documents.parsing import parse_file
from devtools.legislature import generate, read_sources


def test_recombined_pages_parse_with_their_own_numbers_people_and_dates(tmp_path):
    sources = read_sources()
    assert {s.language for s in sources} == {"fr", "nl"}
    paths = generate(tmp_path, 2 * len(sources), start=5000)
    docs = [parse_file(p) for p in paths]
    assert [d.metadata.number for d in docs] == [str(5000 + i) for i in range(len(paths))]
    assert len({d.doc_id for d in docs}) == len(docs)
    for doc, source in zip(docs, sources * 2, strict=True):
        m = doc.metadata
        assert doc.language == source.language
        assert m.author and m.addressee and m.addressee_function
        assert m.title and source.title.endswith(m.title)  # the parser drops "de"
        assert m.received <= m.answered <= m.published
    # paragraphs come from other pages of the same language too
    answers = [d.source.split("Réponse" if d.language == "fr" else "Antwoord")[-1] for d in docs]
    assert any(
        p not in sources[i % len(sources)].answer
        for i, a in enumerate(answers)
        for p in a.split("\n\n")
        if len(p) > 40
    )
    # deterministic for a seed
    again = generate(tmp_path / "again", 3, start=5000)
    assert [p.read_text() for p in again] == [p.read_text() for p in paths[:3]]
