"""Printable documents (PDF) and what they need: the Thai PDF font lives in ``fonts``."""
