"""Reading the story, shared by the safety screen and understanding: normalisation, sentences,
clauses and who acts in each, quotes, negation, and whether the coach can read the language."""
