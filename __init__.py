"""kehoach: semantic search and question answering over Vietnamese provincial plans."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # Engine pulls in torch and faiss: import it only when asked for.
    if name == "Engine":
        from kehoach.qa.engine import Engine
        return Engine
    raise AttributeError(name)


__all__ = ["Engine", "__version__"]
