"""Text utilities that know nothing of the project: script conversion, tokens, sentence spans, the quantity
grammar and the instruction-sentence detector. Every other layer imports downwards from here."""
