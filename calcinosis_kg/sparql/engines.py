"""Local engines over the release dataset: pyoxigraph (default) and rdflib, loaded once per process.

The default graph is the union of the named graphs (``all``), or the union of a selection:
``asserted`` (ontology, kb, data) or ``inferred``; the shapes graph, which holds the table of
known prefixes, is part of every selection.

>>> sorted(GRAPH_SELECTIONS)
['all', 'asserted', 'inferred']
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import QueryError
from ..namespaces import GRAPH
from .remote import with_values
from .results import QueryResult
from .terms import Term, from_oxigraph, from_rdflib, to_rdflib, triple_terms

__all__ = ["ENGINES", "GRAPH_BASE", "GRAPH_SELECTIONS", "get_engine"]

GRAPH_BASE = str(GRAPH)
#: the named graphs of each ``graph`` choice (None: all of them)
GRAPH_SELECTIONS = {
    "all": None,
    "asserted": ("ontology", "kb", "data", "shapes"),
    "inferred": ("inferred", "shapes"),
}
ENGINES = ("oxigraph", "rdflib")
_CACHE: dict[tuple[str, str], object] = {}


def get_engine(name: str, dataset: str | Path):
    """The engine ``name`` over the N-Quads file ``dataset``, loaded on first use."""
    if name not in ENGINES:
        raise QueryError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
    key = (name, str(Path(dataset).resolve()))
    if key not in _CACHE:
        _CACHE[key] = (OxigraphEngine if name == "oxigraph" else RdflibEngine)(Path(dataset))
    return _CACHE[key]


def _check_graph(graph: str) -> tuple[str, ...] | None:
    if graph not in GRAPH_SELECTIONS:
        raise QueryError(f"unknown graph {graph!r}; expected one of {', '.join(GRAPH_SELECTIONS)}")
    return GRAPH_SELECTIONS[graph]


class OxigraphEngine:
    """An in-memory pyoxigraph store; parameters are bound with a ``VALUES`` block.

    The block is the one sent to an endpoint (:func:`.remote.with_values`), so a canned query
    binds its parameters the same way everywhere (pyoxigraph's ``substitutions`` leave
    ``BOUND(?x)`` false).
    """

    name = "oxigraph"

    def __init__(self, path: Path):
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.load(path=str(path), format=ox.RdfFormat.N_QUADS)

    @classmethod
    def over(cls, store) -> OxigraphEngine:
        """The engine over a pyoxigraph ``store`` already loaded."""
        engine = cls.__new__(cls)
        engine.store = store
        return engine

    def run(self, text: str, graph: str = "all", bindings: dict[str, Term] | None = None, limit=None):
        import pyoxigraph as ox

        selection = _check_graph(graph)
        kwargs: dict = {"use_default_graph_as_union": True}
        if selection is not None:
            names = [ox.NamedNode(GRAPH_BASE + g) for g in selection]
            kwargs = {"default_graph": names, "named_graphs": names}
        try:
            answer = self.store.query(with_values(text, bindings or {}), **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return QueryResult("graph", triples=[triple_terms(t) for t in answer])
        columns = [v.value for v in answer.variables]
        return _select(columns, answer, lambda row: ((c, from_oxigraph(row[c])) for c in columns), limit)


class RdflibEngine:
    """An rdflib ``Dataset``; parameters are bound with ``initBindings`` (a ``VALUES`` block at
    the start makes rdflib join it last, far slower)."""

    name = "rdflib"

    def __init__(self, path: Path):
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.dataset.parse(str(path), format="nquads")
        self._views: dict[str, object] = {}

    def _view(self, graph: str):
        selection = _check_graph(graph)
        if selection is None:
            return self.dataset
        if graph not in self._views:
            from rdflib import Dataset, URIRef

            view = Dataset(default_union=True)
            for name in selection:
                target = view.graph(URIRef(GRAPH_BASE + name))
                for triple in self.dataset.graph(URIRef(GRAPH_BASE + name)):
                    target.add(triple)
            self._views[graph] = view
        return self._views[graph]

    def run(self, text: str, graph: str = "all", bindings: dict[str, Term] | None = None, limit=None):
        from rdflib import Variable

        init = {Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()}
        with warnings.catch_warnings():  # rdflib 7.x warns about its own Dataset API, per triple
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._run(text, graph, init, limit)

    def _run(self, text, graph, init, limit):
        try:
            answer = self._view(graph).query(text, initBindings=init)
        except Exception as exc:  # the parser raises pyparsing errors
            if type(exc).__name__ in {"ParseException", "ParseSyntaxException"}:
                raise QueryError(f"SPARQL syntax error: {exc}") from exc
            raise
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in {"CONSTRUCT", "DESCRIBE"}:
            triples = [tuple(from_rdflib(t) for t in triple) for triple in answer.graph]
            return QueryResult("graph", triples=triples)
        columns = [str(v) for v in answer.vars]

        def cells(row):
            return ((c, None if v is None else from_rdflib(v)) for c, v in zip(columns, row, strict=False))

        return _select(columns, answer, cells, limit)


def _select(columns: list[str], solutions, cells, limit) -> QueryResult:
    """The rows of a SELECT answer (``cells(solution)`` gives its column, term pairs), up to ``limit``."""
    result = QueryResult("select", columns)
    for solution in solutions:
        if limit is not None and len(result.rows) >= limit:
            result.truncated = True
            break
        result.rows.append({column: term for column, term in cells(solution) if term is not None})
    return result
