"""Checks that read an EmailDocument, one module per concern."""
