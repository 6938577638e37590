"""Find the data folders shipped with the package: ``ontology/``, ``kb/`` and ``queries/``.

In a wheel they sit inside the package; in a source checkout (editable install) they sit
beside it, at the repository root.

>>> resource_dir("ontology").joinpath("calcinosis.ttl").is_file()
True
"""

from __future__ import annotations

import hashlib
import os
from importlib.resources import files
from pathlib import Path

from .errors import InputError
from .version import __version__

__all__ = [
    "input_digest",
    "kb_files",
    "ontology_file",
    "queries_dir",
    "resource_dir",
    "seeds_dir",
    "shapes_file",
]

#: The environment variable naming the folder of source documents.
SEEDS_ENV = "CALCINOSIS_KG_SEEDS"

_FOLDERS = ("ontology", "kb", "queries")


def cache_home() -> Path:
    """Where built releases and documentation are kept: ``$CALCINOSIS_KG_HOME``, default
    ``~/.cache/calcinosis-kg``."""
    return Path(os.environ.get("CALCINOSIS_KG_HOME") or Path.home() / ".cache" / "calcinosis-kg")


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
    """Every curation table of the knowledge base (``kb/*.tsv``), in a stable order."""
    return sorted(resource_dir("kb").glob("*.tsv"))


def seeds_dir() -> Path | None:
    """The folder of source documents the excerpts are checked against, or None if there is none.

    ``$CALCINOSIS_KG_SEEDS`` when set (it must exist), else ``../shared/seeds`` beside a source
    checkout. An installed wheel has no such folder unless the variable names one.
    """
    chosen = os.environ.get(SEEDS_ENV)
    if chosen:
        if not Path(chosen).is_dir():
            raise InputError(f"{SEEDS_ENV}={chosen}: no such folder")
        return Path(chosen)
    checkout = Path(__file__).resolve().parent.parent
    beside = checkout.parent / "shared" / "seeds"
    return beside if (checkout / "pyproject.toml").is_file() and beside.is_dir() else None


def queries_dir() -> Path:
    """The folder of canned SPARQL queries."""
    return resource_dir("queries")


def input_digest() -> str:
    """A short hash of every input file of the build (names and contents)."""
    digest = hashlib.sha256(__version__.encode())
    for path in [ontology_file(), shapes_file(), *kb_files()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
