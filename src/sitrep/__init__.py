"""sitrep: auditable extraction of conflict events and casualty figures from news text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Dataset", "Event", "Figure", "InputError", "SitrepError", "extract"]

if TYPE_CHECKING:
    from sitrep.dataset import Dataset
    from sitrep.errors import InputError, SitrepError
    from sitrep.model import Event, Figure
    from sitrep.pipeline import extract


def __getattr__(name: str) -> Any:
    # Keep `import sitrep` light: load the pipeline on first use.
    if name == "extract":
        import sitrep.extract  # the package is callable: sitrep.extract(text, …)

        return sitrep.extract
    if name == "Dataset":
        from sitrep.dataset import Dataset

        return Dataset
    if name in ("Event", "Figure"):
        from sitrep import model

        return getattr(model, name)
    if name in ("InputError", "SitrepError"):
        from sitrep import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
