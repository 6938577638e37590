"""The HTML of the endpoint: the query page at ``/``, the page of a resource, the page for none.

Every value printed is escaped (:func:`html.escape`); the query page's script and style are
files of this package (``static/``), so a page loads nothing from elsewhere.

>>> short("http://purl.obolibrary.org/obo/DOID_418"), short("https://w3id.org/calcinosis-kg/entity/warfarin")
('DOID:418', 'kb:warfarin')
>>> link("urn:x:<b>", "/")
'<span class="iri">urn:x:&lt;b&gt;</span>'
"""

from __future__ import annotations

import json
from functools import cache
from html import escape

from ..namespaces import PREFIXES, mapping_prefixes
from ..sparql.terms import Term
from ..version import __version__
from .entity import Claim, Description, Ref, page_path

__all__ = ["RDF_FORMATS", "entity_page", "link", "not_found_page", "prefix_lines", "query_page", "short"]

#: the RDF serializations a resource page is also offered in: suffix -> (media type, name)
RDF_FORMATS = {
    "ttl": ("text/turtle", "Turtle"),
    "nt": ("application/n-triples", "N-Triples"),
    "jsonld": ("application/ld+json", "JSON-LD"),
    "rdf": ("application/rdf+xml", "RDF/XML"),
}
_SAMPLE = """SELECT ?entity ?label ?category WHERE {
  ?entity a ?category ; rdfs:label ?label .
  ?category rdfs:subClassOf* ckg:Calcinosis .
  FILTER(STRSTARTS(STR(?entity), STR(kb:)))
}
ORDER BY ?label
LIMIT 50"""


@cache
def prefixes() -> dict[str, str]:
    """Every prefix the pages know: the project's and those of the reference vocabularies."""
    return {**mapping_prefixes(), **{name: str(ns) for name, ns in PREFIXES.items()}}


def prefix_lines() -> str:
    """The ``PREFIX`` lines of the project's prefix table, one per line.

    >>> prefix_lines().splitlines()[0]
    'PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>'
    """
    return "\n".join(f"PREFIX {name}: <{ns}>" for name, ns in PREFIXES.items())


def short(iri: str) -> str:
    """``iri`` as a CURIE of the longest known namespace, else the IRI."""
    known = prefixes()
    fits = [p for p, ns in known.items() if iri.startswith(ns) and len(iri) > len(ns)]
    best = max(fits, key=lambda p: len(known[p]), default=None)
    return iri if best is None else f"{best}:{iri[len(known[best]) :]}"


def link(iri: str, root: str, text: str | None = None) -> str:
    """An ``<a>`` to the page of ``iri`` (here, or its own http(s) address), showing ``text`` or
    its CURIE; an IRI that cannot be followed is shown as text."""
    shown = escape(text if text is not None else short(iri))
    path = page_path(iri)
    if path is not None:
        return f'<a href="{escape(root + path)}">{shown}</a>'
    if iri.startswith(("http://", "https://")):
        return f'<a class="external" href="{escape(iri)}" rel="noopener noreferrer">{shown}</a>'
    return f'<span class="iri">{shown}</span>'


def _ref(ref: Ref, root: str) -> str:
    return link(ref.iri, root, ref.label)


def _head(title: str, root: str, extra: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{escape(root)}static/icon.svg" type="image/svg+xml">\n'
        f'<link rel="stylesheet" href="{escape(root)}static/page.css">{extra}</head>\n<body>\n'
        f'<header><a class="home" href="{escape(root)}">calcinosis-kg</a>'
        f'<span class="version">{escape(__version__)}</span></header>\n<main>\n'
    )


_FOOT = "</main>\n</body></html>\n"
_INFERRED = ' class="inferred"'
_ARROW = '<span class="arrow">→</span>'


def query_page(queries: list[dict], root: str, limits: str) -> str:
    """The query page: a form per canned query, a SPARQL editor, the answer as a table."""
    options = "\n".join(
        f'<option value="{escape(q["name"])}">{escape(q["name"])}: {escape(str(q.get("summary", "")))}'
        "</option>"
        for q in queries
    )
    data = {
        "queries": [
            {
                "name": q["name"],
                "summary": str(q.get("summary", "")),
                "description": str(q.get("description", "")),
                "params": [p for p in q.get("params") or [] if isinstance(p, dict)],
            }
            for q in queries
        ],
        "prefixes": prefixes(),
    }
    # JSON in a script element: "<" escaped so that no value can close the element
    payload = json.dumps(data, ensure_ascii=False, default=str).replace("<", "\\u003c")
    editor = escape(prefix_lines() + "\n\n" + _SAMPLE)
    return (
        _head("calcinosis-kg: query the knowledge graph", root)
        + f"""<h1>Query the calcinosis knowledge graph</h1>
<p class="lead">Read-only SPARQL 1.1 at <code>{escape(root)}sparql</code> over the reasoned graph
(default graph: the union of the named graphs). Limits: {escape(limits)}.</p>
<section id="canned-section">
<h2>Canned queries</h2>
<form id="canned-form">
<label for="canned">Query</label>
<select id="canned" name="canned">
{options}
</select>
<p id="canned-about" class="about"></p>
<div id="params"></div>
<p class="buttons"><button type="submit" id="run-canned">Run</button>
<button type="button" id="show-canned" class="secondary">Open in the editor</button></p>
</form>
</section>
<section id="editor-section">
<h2>SPARQL</h2>
<form id="sparql-form">
<label for="query">Query (Ctrl+Enter runs it)</label>
<textarea id="query" name="query" rows="26" spellcheck="false">{editor}</textarea>
<p class="buttons"><button type="submit" id="run-sparql">Run</button></p>
</form>
</section>
<section id="answer" aria-live="polite">
<p id="status" class="status"></p>
<div id="error" class="error" role="alert" hidden></div>
<div id="results" class="scroll"></div>
</section>
<datalist id="names"></datalist>
<script type="application/json" id="page-data">{payload}</script>
<script src="{escape(root)}static/page.js"></script>
"""
        + _FOOT
    )


def entity_page(desc: Description, root: str, path: str) -> str:
    """The page of one resource: label, definition, categories, synonyms, mappings, the claims
    about it by relation (status, sources, excerpts, conflicts), then its other statements."""
    title = desc.label or short(desc.iri)
    alternates = "".join(
        f'\n<link rel="alternate" type="{media}" href="{escape(root + path)}.{suffix}">'
        for suffix, (media, _) in RDF_FORMATS.items()
    )
    parts = [_head(f"{title} - calcinosis-kg", root, alternates)]
    parts.append(f'<h1 id="label">{escape(title)}</h1>\n')
    names = dict.fromkeys((short(desc.iri), desc.iri))  # the CURIE and the IRI, once if they are the same
    parts.append(f'<p class="iri-line">{" ".join(f"<code>{escape(n)}</code>" for n in names)}</p>\n')
    if desc.categories or desc.inferred_categories:
        badges = " ".join(f'<span class="badge">{_ref(c, root)}</span>' for c in desc.categories)
        inferred = " ".join(
            f'<span class="badge inferred">{_ref(c, root)}</span>' for c in desc.inferred_categories
        )
        parts.append(f'<p id="categories" class="categories">{badges}')
        if inferred:
            parts.append(f' <span class="note">inferred:</span> {inferred}')
        parts.append("</p>\n")
    if desc.definition:
        parts.append(f'<p id="definition" class="definition">{escape(desc.definition)}</p>\n')
    if desc.synonyms:
        items = "".join(f"<li>{escape(s)}</li>" for s in sorted(desc.synonyms, key=str.casefold))
        parts.append(f'<h2>Synonyms</h2>\n<ul id="synonyms" class="inline">{items}</ul>\n')
    if desc.mappings:
        labelled = any(ref.label for _, ref in desc.mappings)
        rows = "".join(
            f"<tr><td>{escape(relation)}</td><td>{link(ref.iri, root)}</td>"
            + (f"<td>{escape(ref.label or '')}</td>" if labelled else "")
            + "</tr>"
            for relation, ref in sorted(desc.mappings, key=lambda m: (m[0], short(m[1].iri)))
        )
        parts.append(
            '<h2>Mappings</h2>\n<div class="scroll"><table id="mappings"><thead><tr><th>match</th>'
            f"<th>term</th>{'<th>label</th>' if labelled else ''}</tr></thead><tbody>{rows}</tbody>"
            "</table></div>\n"
        )
    parts.append(_claims_html(desc, root))
    if desc.statements:
        rows = "".join(
            f"<tr{_INFERRED if inferred else ''}><td>{_ref(prop, root)}</td>"
            f"<td>{_value(value, root)}</td><td>{'inferred' if inferred else 'asserted'}</td></tr>"
            for prop, value, inferred in desc.statements
        )
        parts.append(
            f'<details id="statements"{"" if desc.claims else " open"}>'
            f"<summary>All other statements ({len(desc.statements)})</summary>\n"
            '<div class="scroll"><table><thead><tr><th>property</th><th>value</th><th>graph</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div></details>\n"
        )
    formats = " · ".join(
        f'<a href="{escape(root + path)}.{suffix}">{name}</a>' for suffix, (_, name) in RDF_FORMATS.items()
    )
    parts.append(f'<p class="formats">This resource as {formats}.</p>\n')
    parts.append(_FOOT)
    return "".join(parts)


def _value(value: Term | Ref, root: str) -> str:
    if isinstance(value, Ref):
        return _ref(value, root)
    return escape(value.value)


def _claims_html(desc: Description, root: str) -> str:
    groups = desc.groups()
    if not groups:
        return ""
    out = [f'<h2>Claims <span class="count">({len(desc.claims)})</span></h2>\n<div id="claims">\n']
    for relation, as_subject, claims in groups:
        name = relation.label or short(relation.iri)
        heading = name if as_subject else f"stated as the object of: {name}"
        out.append(f'<section class="relation"><h3>{escape(heading)} ')
        out.append(f'<span class="count">({len(claims)})</span></h3>\n')
        out.extend(_claim_html(claim, root) for claim in claims)
        out.append("</section>\n")
    out.append("</div>\n")
    return "".join(out)


def _claim_html(claim: Claim, root: str) -> str:
    status_class = "status-" + "-".join(claim.status.split()[:2])
    sources = f"{claim.sources} source" + ("" if claim.sources == 1 else "s")
    out = [
        f'<article class="claim" data-claim="{escape(claim.iri)}">\n<p class="triple">'
        f"{_ref(claim.subject, root)} {_ARROW} <b>{_ref(claim.relation, root)}</b> "
        f"{_ARROW} {_ref(claim.object, root)}</p>\n"
        f'<p class="weight"><span class="status {escape(status_class)}">{escape(claim.status)}</span> '
        f'<span class="sources">{escape(sources)}</span> {link(claim.iri, root, "claim")}</p>\n'
    ]
    for passage in claim.passages:
        hedged = passage.hedging and f"hedged: {passage.hedging}"
        where = ", ".join(escape(x) for x in (passage.section, hedged) if x)
        out.append(
            f'<blockquote class="excerpt">{escape(passage.excerpt)}'
            f"<footer>{link(passage.source.iri, root, passage.identifier)}"
            f"{' · ' + escape(passage.source.label) if passage.source.label else ''}"
            f"{' · ' + where if where else ''}</footer></blockquote>\n"
        )
    for note in claim.notes:
        out.append(
            f'<div class="issue {escape(note.kind.replace(" ", "-"))}"><b>{escape(note.kind)}</b>: '
            f"{escape(note.label)}{'<p>' + escape(note.comment) + '</p>' if note.comment else ''}</div>\n"
        )
    out.append("</article>\n")
    return "".join(out)


def not_found_page(what: str, root: str) -> str:
    """The page for an address the graph has nothing at."""
    return (
        _head("Not found - calcinosis-kg", root)
        + f"""<h1>Not found</h1>
<p class="error">The knowledge graph has nothing about <code>{escape(what)}</code>.</p>
<p>Search the labels and synonyms with the canned query
<a href="{escape(root)}?canned=search">search</a>, or go to the <a href="{escape(root)}">query page</a>.</p>
"""
        + _FOOT
    )
