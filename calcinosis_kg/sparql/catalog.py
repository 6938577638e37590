"""The canned queries: ``queries/*.rq`` and the quality checks ``queries/qc/*.rq``.

Each file starts with a ``#+`` YAML header (grlc convention) giving ``summary``,
``description``, ``params`` (name, kind, required, default, example) and ``example``.

>>> spec = load_query("types")
>>> spec.name, spec.summary.startswith("The calcinosis types")
('types', True)
>>> "qc/edge-without-claim" in query_names()
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import QueryError
from ..resources import queries_dir

__all__ = ["KINDS", "Param", "QuerySpec", "list_queries", "load_query", "parse_header", "query_names"]

#: the kinds of parameter value
KINDS = ("entity", "text", "number")


@dataclass(frozen=True)
class Param:
    """A parameter of a canned query; ``name`` is also its SPARQL variable."""

    name: str
    kind: str = "entity"
    required: bool = False
    default: object = None
    example: object = None
    description: str = ""
    multiple: bool = False


@dataclass(frozen=True)
class QuerySpec:
    """A canned query: its name, header and text."""

    name: str
    path: Path
    text: str
    header: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.header.get("summary", ""))

    @property
    def params(self) -> list[Param]:
        return [Param(**p) for p in self.header.get("params") or []]

    @property
    def key(self) -> list[str]:
        """The columns that identify an answer (used to combine several values of a parameter)."""
        return list(self.header.get("key") or [])

    @property
    def is_qc(self) -> bool:
        return self.name.startswith("qc/")


def parse_header(text: str) -> dict:
    """Read the ``#+`` YAML header at the top of a query text.

    >>> parse_header("#+ summary: Hi\\n#+ params: []\\nSELECT * {}")
    {'summary': 'Hi', 'params': []}
    """
    import yaml

    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    header = yaml.safe_load("\n".join(lines)) if lines else {}
    return header if isinstance(header, dict) else {}


def _files() -> dict[str, Path]:
    folder = queries_dir()
    found = {p.stem: p for p in sorted(folder.glob("*.rq"))}
    found.update({f"qc/{p.stem}": p for p in sorted((folder / "qc").glob("*.rq"))})
    return found


def query_names() -> list[str]:
    """The names of the canned queries, quality checks last (``qc/...``)."""
    return list(_files())


@cache
def _load(name: str, path: Path, mtime: float) -> QuerySpec:
    text = path.read_text(encoding="utf-8")
    return QuerySpec(name=name, path=path, text=text, header=parse_header(text))


def load_query(name: str) -> QuerySpec:
    """The canned query ``name``; an unknown name is a :class:`QueryError` listing close ones."""
    files = _files()
    if name.endswith(".rq"):
        name = name[:-3]
    if name not in files:
        import difflib

        close = difflib.get_close_matches(name, list(files), n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no canned query named {name!r}{hint} (see 'calcinosis-kg queries')")
    path = files[name]
    return _load(name, path, path.stat().st_mtime)


def list_queries(qc: bool = True) -> list[dict]:
    """The parsed headers of the canned queries, each with its ``name``.

    >>> any(q["name"] == "causes" for q in list_queries())
    True
    """
    specs = [load_query(n) for n in query_names()]
    return [{"name": s.name, **s.header} for s in specs if qc or not s.is_qc]
