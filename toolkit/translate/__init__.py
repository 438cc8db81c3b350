"""Offline translation of releases with Argos Translate models (CTranslate2 + SentencePiece)."""
