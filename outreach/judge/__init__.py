"""Judgement on text: phrase look-up by words, the act vocabulary, politeness strategies."""
