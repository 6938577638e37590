"""The release's documentation, written under ``docs/`` of the release folder by ``build``.

- ``docs/ontology.html``: the ontology's classes, properties and individuals (pyLODE);
- ``docs/model.svg``: a picture of the model, drawn by Graphviz's ``dot`` from :func:`model_dot`;
- ``docs/api/``: the reference of the Python package, from its docstrings (pdoc);
- ``docs/index.html``: a page that links them.

pyLODE and pdoc run each in a process of its own with a fixed hash seed, so the pages come out the
same at every build (but for the order of the members of an OWL intersection in the ontology
page, which pyLODE keeps in a set of page elements) and neither tool's settings leak into the
caller. A missing tool (the
``docs`` extra, or Graphviz) skips its part with a note; nothing is fetched from the network.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     <urn:A> a owl:Class ; rdfs:label "a" . <urn:B> a owl:Class ; rdfs:subClassOf <urn:A> .
...     <urn:p> a owl:ObjectProperty ; rdfs:label "p" ; rdfs:domain <urn:A> ; rdfs:range <urn:B> .
... ''', format="turtle")
>>> [line.strip() for line in model_dot(g).splitlines() if "->" in line]
['"urn:B" -> "urn:A" [arrowhead=empty, style=dashed];', '"urn:A" -> "urn:B" [label="p"];']
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

from .resources import cache_home

__all__ = [
    "DOCS_DIR",
    "DocsJob",
    "complete",
    "docs_key",
    "keep_docs",
    "kept_docs",
    "model_dot",
    "model_svg",
    "previous_docs",
    "start",
]

#: the folder of the release that holds the documentation
DOCS_DIR = "docs"
#: the modules whose reference is written: the package's public API
API_MODULES = ("calcinosis_kg",)
_ANYTHING = "owl:Thing"


def model_dot(ontology: Graph) -> str:
    """The Graphviz DOT text of the model: the named classes, their subclass edges (dashed, open
    arrow) and one edge per object property from its domain to its range (a missing end is
    ``owl:Thing``). Of two inverse properties only the one that declares the inverse is drawn."""
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    lines = ["digraph model {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="sans-serif"];']
    lines.append('  edge [fontname="sans-serif", fontsize=10];')
    for cls in classes:
        lines.append(f"  {_quote(str(cls))} [label={_quote(_label(ontology, cls))}];")
    edges = []
    for cls in classes:
        for parent in sorted(o for o in ontology.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef)):
            if parent in classes:
                edges.append(
                    f"  {_quote(str(cls))} -> {_quote(str(parent))} [arrowhead=empty, style=dashed];"
                )
    anything = False
    for prop in _drawn_properties(ontology):
        ends = []
        for predicate in (RDFS.domain, RDFS.range):
            named = sorted(o for o in ontology.objects(prop, predicate) if isinstance(o, URIRef))
            ends.append(str(named[0]) if named else _ANYTHING)
        anything = anything or _ANYTHING in ends
        label = _quote(_label(ontology, prop))
        edges.append(f"  {_quote(ends[0])} -> {_quote(ends[1])} [label={label}];")
    if anything:
        lines.append(f'  {_quote(_ANYTHING)} [label="anything", style="rounded,dashed"];')
    return "\n".join([*lines, *edges, "}"]) + "\n"


def model_svg(dot_text: str, timeout: float = 60.0) -> bytes | None:
    """``dot_text`` drawn as SVG by Graphviz's ``dot``, or None when ``dot`` is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    done = subprocess.run(
        [dot, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


class DocsJob:
    """The documentation being made beside the build: pyLODE and pdoc each in a child process,
    the picture drawn on :meth:`files`. Use :func:`start`."""

    def __init__(self, ontology: Path, note: Callable[[str], object]):
        self.note, self.ontology_file = note, ontology
        self.folder = Path(tempfile.mkdtemp(prefix="calcinosis-kg-docs."))
        missing = [name for name in ("pylode", "pdoc") if not _importable(name)]
        self.skipped = [f"{name} is not installed" for name in missing]
        self.processes: list[subprocess.Popen] = []
        if not missing:  # one process per tool, side by side
            env = {**os.environ, "PYTHONHASHSEED": "0"}
            self.processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "calcinosis_kg.docs", str(ontology), str(self.folder), tool],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for tool in ("pylode", "pdoc")
            ]

    def files(self, timeout: float = 300.0) -> dict[str, bytes]:
        """The documentation files, by path under the release folder; a part that cannot be made
        is left out and noted."""
        try:
            out: dict[str, bytes] = {}
            ontology = Graph().parse(self.ontology_file, format="turtle")
            svg = model_svg(model_dot(ontology))
            if svg is None:
                self.note("the model picture (docs/model.svg) was skipped: Graphviz's dot is not installed")
            else:
                out[f"{DOCS_DIR}/model.svg"] = svg
            if self.processes:
                for process in self.processes:
                    _, errors = process.communicate(timeout=timeout)
                    if process.returncode != 0:
                        raise RuntimeError(
                            f"the documentation tools failed: {errors.decode(errors='replace')}"
                        )
                for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
                    out[f"{DOCS_DIR}/{path.relative_to(self.folder).as_posix()}"] = path.read_bytes()
            else:
                self.note(
                    "the ontology and API documentation were skipped: "
                    + ", ".join(self.skipped)
                    + " (pip install 'calcinosis-kg[docs]')"
                )
            out[f"{DOCS_DIR}/index.html"] = _index(ontology, out).encode("utf-8")
            return out
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child process if it still runs and remove its folder."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(ontology: Path, note: Callable[[str], object] = print) -> DocsJob:
    """Start making the documentation of the ontology file ``ontology``; ``note(text)`` is told
    of any part skipped."""
    return DocsJob(ontology, note)


def docs_key(ontology: Path) -> str:
    """What the documentation is made from, as a digest: the ontology file and the package's code.

    >>> from calcinosis_kg.resources import ontology_file
    >>> len(docs_key(ontology_file()))
    64
    """
    digest = hashlib.sha256(ontology.read_bytes())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def complete(files: dict[str, bytes]) -> bool:
    """Whether ``files`` hold every part of the documentation (none was skipped).

    >>> complete({"docs/index.html": b""})
    False
    """
    parts = ("index.html", "ontology.html", "model.svg", "api/calcinosis_kg.html")
    return all(f"{DOCS_DIR}/{part}" in files for part in parts)


def previous_docs(out_dir: Path, key: str, marker: str) -> dict[str, bytes] | None:
    """The documentation files of the earlier build in ``out_dir``, if its build information
    (file ``marker``) says they were made, complete, from ``key``; else None (made anew)."""
    try:
        made_from = json.loads((out_dir / marker).read_text(encoding="utf-8")).get("docs")
    except (OSError, ValueError):
        return None
    folder = out_dir / DOCS_DIR
    if made_from != key or not (folder / "index.html").is_file():
        return None
    return {
        f"{DOCS_DIR}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def kept_docs(key: str) -> dict[str, bytes] | None:
    """The complete documentation made from ``key`` by an earlier build on this machine (kept
    under :func:`calcinosis_kg.resources.cache_home`), or None."""
    folder = cache_home() / DOCS_DIR / key
    found = {
        f"{DOCS_DIR}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    return found if complete(found) else None


def keep_docs(key: str, files: dict[str, bytes]) -> None:
    """Keep complete documentation made from ``key`` for the next build (written whole, then
    renamed into place; a failure to keep it costs only the next build's time)."""
    target = cache_home() / DOCS_DIR / key
    if not complete(files) or target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=target.parent))
    except OSError:
        return  # nowhere to keep it: the next build makes it again
    try:
        for name, data in files.items():
            path = staging / Path(name).relative_to(DOCS_DIR)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        staging.rename(target)
    except OSError:  # another build kept it first, or the disk is full
        shutil.rmtree(staging, ignore_errors=True)


def _render(ontology: Path, folder: Path, tool: str) -> None:
    """Write ``ontology.html`` (``tool`` pylode) or ``api/`` (pdoc) into ``folder`` (run in a child)."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    if tool == "pdoc":
        import pdoc
        import pdoc.render

        pdoc.render.configure(docformat="restructuredtext", show_source=False, footer_text="calcinosis-kg")
        pdoc.pdoc(*API_MODULES, output_directory=folder / "api")
        return
    from pylode import OntPub

    root.handlers[:], root.level = handlers, level  # pyLODE configures the root logger on import

    from .serialize import canonical

    graph = canonical(Graph().parse(ontology, format="turtle"))
    (folder / "ontology.html").write_text(OntPub(graph, sort_subjects=True).make_html(), encoding="utf-8")


def _drawn_properties(ontology: Graph) -> list[URIRef]:
    props = sorted(p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef))
    drawn: list[URIRef] = []
    for prop in props:
        if not any(
            isinstance(o, URIRef) for p in (RDFS.domain, RDFS.range) for o in ontology.objects(prop, p)
        ):
            continue
        declares = any(True for _ in ontology.objects(prop, OWL.inverseOf))
        inverses = set(ontology.objects(prop, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, prop))
        if not declares and inverses:
            continue  # drawn from the other side
        if any(other in drawn for other in inverses):
            continue
        drawn.append(prop)
    return drawn


def _label(graph: Graph, node: URIRef | BNode) -> str:
    labels = sorted(str(o) for o in graph.objects(node, RDFS.label))
    return labels[0] if labels else str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _index(ontology: Graph, files: dict[str, bytes]) -> str:
    """The page that links the documentation files made."""
    titles = sorted(
        str(o) for s in ontology.subjects(RDF.type, OWL.Ontology) for o in ontology.objects(s, _TITLE)
    )
    title = html.escape(titles[0] if titles else "Ontology")
    links = [
        (f"{DOCS_DIR}/ontology.html", "ontology.html", "The ontology: classes, relations and individuals"),
        (f"{DOCS_DIR}/model.svg", "model.svg", "A picture of the model: classes, subclasses and relations"),
        (f"{DOCS_DIR}/api/calcinosis_kg.html", "api/calcinosis_kg.html", "The Python API reference"),
    ]
    items = "\n".join(
        f'<li><a href="{href}">{html.escape(text)}</a></li>' for key, href, text in links if key in files
    )
    return _INDEX.format(title=title, items=items)


_TITLE = URIRef("http://purl.org/dc/terms/title")

_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: documentation</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}}</style></head>
<body><h1>{title}</h1>
<ul>
{items}
</ul>
<p>Served by <code>calcinosis-kg serve</code>, the SPARQL endpoint is at
<a href="../sparql">../sparql</a>.</p>
</body></html>
"""

if __name__ == "__main__":
    _render(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
