"""The parliamentary brief (« suivi parlementaire ») of one written question.

For a parliamentary assistant preparing the next question: which sub-questions were
answered (``coverage``), the state of each chantier (``status``), follow-up drafts
(``drafts``), all in one value (``build``); ``cues`` holds the text's own cue words
(deferral, cause, negation) and its dates and amounts.

Does not own: the chat's completion of a short follow-up question
(:mod:`assistant.answers.context`), the *Suivi parlementaire* tab (:mod:`assistant.web`).
"""
