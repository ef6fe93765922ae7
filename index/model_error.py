"""The one error of the model layer, apart so that every module of it can raise it without a cycle."""
from __future__ import annotations


class ModelError(Exception):
    """A model that cannot be provisioned or loaded; the message is for the user."""
