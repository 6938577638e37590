"""Find the data folders shipped with the package: ``ontology/``, ``kb/`` and ``queries/``.

In a wheel they sit inside the package; in a source checkout (editable install) they sit
beside it, at the repository root.

>>> resource_dir("ontology").joinpath("calcinosis.ttl").is_file()
True
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["kb_files", "ontology_file", "queries_dir", "resource_dir", "shapes_file"]

_FOLDERS = ("ontology", "kb", "queries")


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (one of ontology, kb, queries), packaged or in the checkout."""
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {', '.join(_FOLDERS)}")
    packaged = Path(str(files("calcinosis_kg"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"resource folder {name!r} not found in the package or at {checkout}")


def ontology_file() -> Path:
    """The OWL ontology in Turtle."""
    return resource_dir("ontology") / "calcinosis.ttl"


def shapes_file() -> Path:
    """The SHACL shapes in Turtle."""
    return resource_dir("ontology") / "shapes.ttl"


def kb_files() -> list[Path]:
    """Every Turtle file of the knowledge base, in a stable order."""
    return sorted(resource_dir("kb").rglob("*.ttl"))


def queries_dir() -> Path:
    """The folder of canned SPARQL queries."""
    return resource_dir("queries")
