"""The parliamentary brief (« suivi parlementaire ») of one written question.

For a parliamentary assistant preparing the next question: which sub-questions were
answered (``coverage``: a :class:`~assistant.brief.coverage.Verdict` per part and a
:class:`~assistant.brief.coverage.SubVerdict` per sub-question, from the parts of
``parts`` and the supporting sentences of ``support``), the state of each chantier
(``status``: a :class:`~assistant.brief.status.Status` per row, with the sentence that
says it; ``table``: filters, CSV and Markdown), follow-up drafts (``drafts``), all in one
value (``build``); ``cues`` holds the text's own cue words (deferral, cause, negation) and
its dates and amounts. ``python -m assistant brief`` prints it (``followup`` is an alias).

Does not own: the chat's completion of a short follow-up question
(:mod:`assistant.answers.context`), the chat's answers from the chantier table
(:mod:`assistant.answers.table_answers`), the *Suivi parlementaire* tab
(:mod:`assistant.web.brief_tab`).
"""
