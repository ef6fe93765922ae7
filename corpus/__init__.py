"""Corpus layer: loading files, repairing OCR text, parsing plans into tasks.

The folder also holds the bundled plans (package data), byte-identical to the originals.
"""
