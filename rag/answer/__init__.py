"""Answering: question cleaning, extractive answerer, LLM answerer, grounding check."""
