"""``sitrep serve``: the dataset as a REST API and a web page (map, timeline, evidence).

``create_app(Settings(db="sitrep.db"))`` is the ASGI application; ``sitrep.serve.cli`` holds
the command. Everything the page needs (Leaflet, the Natural Earth country outlines) ships in
``static/``: the server works without any network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.serve.app import Settings, create_app

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    # FastAPI loads on first use: `import sitrep` and the other commands stay light.
    if name in __all__:
        from sitrep.serve import app

        return getattr(app, name)
    raise AttributeError(f"module 'sitrep.serve' has no attribute {name!r}")
