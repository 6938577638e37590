"""Export the released graph in the usual RDF formats, deterministically.

Dataset formats (``nq``, ``trig``) keep the named graphs of :data:`calcinosis_kg.namespaces.GRAPHS`;
single-graph formats merge what ``--graph`` selects (``asserted``: ontology, knowledge base
and user data; ``inferred``: the reasoner's additions; ``all``: both). The SHACL shapes ride
along only in the dataset formats (with ``asserted`` and ``all``).

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:a> <urn:p> [ <urn:q> 1 ] .", format="turtle")
>>> xml = ordered_graph(g).serialize(format="xml")
>>> xml == ordered_graph(g).serialize(format="xml"), len(ordered_graph(g))
(True, 2)
"""

from __future__ import annotations

import gzip as gzip_module
import json
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef

from .errors import CalcinosisKGError
from .formats import FORMATS, ExportFormat
from .namespaces import GRAPHS, PREFIXES
from .resources import resource_dir
from .serialize import canonical, dataset_to_bytes, merged, to_bytes, write_atomic

__all__ = [
    "FORMATS",
    "SELECTIONS",
    "ExportFormat",
    "export",
    "export_bytes",
    "graphs_to_bytes",
    "jsonld_context",
    "merged",
    "ordered_graph",
    "read_release",
    "select",
]


#: The named graphs each ``--graph`` choice selects (dataset formats add the shapes).
SELECTIONS = {
    "asserted": ("ontology", "kb", "data"),
    "inferred": ("inferred",),
    "all": ("ontology", "kb", "data", "inferred"),
}

_GRAPH_NAMES = {iri: name for name, iri in GRAPHS.items()}


def read_release(folder: str | Path | None = None) -> dict[str, Graph]:
    """The named graphs of a release folder's ``calcinosis-kg.nq``, by name (``kb``, ...).

    The graphs are cached per file version and shared: copy one before changing it.
    """
    from .artifacts import DATASET_FILE, ensure_release

    path = Path(folder if folder is not None else ensure_release()) / DATASET_FILE
    if not path.is_file():
        raise CalcinosisKGError(f"{path}: no such release file; run 'calcinosis-kg build' first")
    return dict(_read_dataset(path.resolve(), path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _read_dataset(path: Path, mtime_ns: int) -> dict[str, Graph]:
    """The named graphs of an N-Quads file, parsed once per file version (do not modify them)."""
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    graphs: dict[str, Graph] = {}
    for context in dataset.graphs():
        name = _GRAPH_NAMES.get(context.identifier) if isinstance(context.identifier, URIRef) else None
        if name is None:
            continue
        graph = Graph()
        graph += context
        graphs[name] = graph
    return graphs


def select(graphs: dict[str, Graph], which: str = "all", shapes: bool = False) -> dict[str, Graph]:
    """The graphs that ``which`` (asserted, inferred, all) selects; ``shapes`` adds the shapes."""
    if which not in SELECTIONS:
        raise CalcinosisKGError(f"unknown graph selection {which!r}; expected one of {', '.join(SELECTIONS)}")
    names = list(SELECTIONS[which]) + (["shapes"] if shapes and which != "inferred" else [])
    return {name: graphs[name] for name in names if name in graphs}


def ordered_graph(graph: Graph) -> Graph:
    """A copy with canonical blank-node labels whose triples are stored in a stable order.

    Serializers that walk the store (RDF/XML, JSON-LD) then write the same bytes every time;
    an ``owl:Ontology`` header comes first.
    """
    graph = canonical(graph)
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    for triple in sorted(graph, key=lambda t: (t[0] not in headers, *(term.n3() for term in t))):
        out.add(triple)
    return out


def jsonld_context() -> dict:
    """The published JSON-LD context (``ontology/context.jsonld``), the value of ``@context``."""
    path = resource_dir("ontology") / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def export_bytes(fmt: str, which: str = "all", release: str | Path | None = None) -> bytes:
    """Serialize the release in ``fmt`` (a key of :data:`FORMATS`) deterministically."""
    spec = _format(fmt)
    graphs = select(read_release(release), which, shapes=spec.dataset)
    return graphs_to_bytes(graphs, fmt)


def graphs_to_bytes(graphs: dict[str, Graph], fmt: str) -> bytes:
    """Serialize named graphs (keyed by name) in ``fmt``; single-graph formats merge them."""
    spec = _format(fmt)
    if spec.dataset:
        return dataset_to_bytes(
            {GRAPHS[name]: graph for name, graph in graphs.items()}, spec.rdflib, canonical=True
        )
    if fmt == "jsonld":
        return _jsonld(ordered_graph(merged(graphs)))
    if fmt == "rdfxml":
        return _rdfxml(ordered_graph(merged(graphs)))
    return to_bytes(merged(graphs), spec.rdflib, canonical=True)


def export(
    fmt: str,
    out: str | Path,
    which: str = "all",
    gzip: bool = False,
    release: str | Path | None = None,
) -> Path:
    """Write the export to ``out`` atomically (gzip-compressed with ``gzip``); return the path."""
    data = export_bytes(fmt, which, release)
    if gzip:
        data = gzip_module.compress(data, compresslevel=9, mtime=0)
    path = Path(out)
    write_atomic(path, data)
    return path


def _format(fmt: str) -> ExportFormat:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise CalcinosisKGError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None


class _SortedGraph(Graph):
    """A graph whose subjects (``owl:Ontology`` headers first) and their arcs come out sorted."""

    def subjects(self, predicate=None, object=None, unique=False):
        found = set(super().subjects(predicate, object))
        headers = set(super().subjects(RDF.type, OWL.Ontology))
        yield from sorted(found, key=lambda s: (s not in headers, s.n3()))

    def predicate_objects(self, subject=None, unique=False):
        yield from sorted(super().predicate_objects(subject), key=lambda po: (po[0].n3(), po[1].n3()))


def _rdfxml(graph: Graph) -> bytes:
    """RDF/XML (striped, one ``rdf:Description`` per subject) that Protégé opens."""
    out = _SortedGraph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, replace=True)
    out += graph
    return out.serialize(format="xml", encoding="utf-8")


def _jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with the published context embedded, keys and node order sorted."""
    context = jsonld_context()
    text = graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    document = json.loads(text)
    document["@context"] = context
    if isinstance(document.get("@graph"), list):
        document["@graph"] = sorted(document["@graph"], key=lambda node: json.dumps(node, sort_keys=True))
    document = _sort_sets(document)
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _sort_sets(value, key: str | None = None):
    """Sort the arrays of a JSON-LD document that are sets (not ``@list`` nor ``@context``)."""
    if isinstance(value, dict):
        return {k: v if k == "@context" else _sort_sets(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_sets(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value
