"""Reads of the verification page."""

from __future__ import annotations

from . import registry


def issued(sha256: str) -> list[registry.IssuedDocument]:
    """Every document the portal issued whose stored file has exactly this SHA-256 (lower-case hex)."""
    return registry.issued(sha256)
