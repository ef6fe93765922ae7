"""Checking what the page and API clients send: the rules live in kehoach.validate, shared by
every entry point (CLI, batch, JSON API, Gradio, Python API); this name stays for the UI's imports."""
from __future__ import annotations

from kehoach.validate import (FILTER_KEYS, K_MAX, K_MIN, MAX_AGENCY_CHARS, YEAR_MAX, YEAR_MIN,  # noqa: F401
                              InputError, check_filters, check_k, check_question)
