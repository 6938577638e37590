"""Query results and their formats: SPARQL 1.1 JSON, XML, CSV and TSV, a text table, and RDF.

>>> r = QueryResult("select", ["type", "n"], [{"type": Term.iri("urn:x"), "n": Term.literal(2)}])
>>> r.to_csv().splitlines()
['type,n', 'urn:x,2']
>>> r.to_json()["results"]["bindings"][0]["n"]["datatype"]
'http://www.w3.org/2001/XMLSchema#integer'
>>> print(r.to_table())
type   n
-----  -
urn:x  2
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..namespaces import PREFIXES, curie
from .terms import XSD_STRING, Term

__all__ = ["FORMATS", "QueryResult"]

#: formats for SELECT and ASK results, then for CONSTRUCT and DESCRIBE results
FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt")
_PREFIXES = {name: str(namespace) for name, namespace in PREFIXES.items()}


@dataclass
class QueryResult:
    """The answer of a query: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).

    ``rows`` are dicts from column name to :class:`Term` (a missing key is an unbound value);
    ``truncated`` is true when the row limit cut the answer.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def __iter__(self):
        return iter(self.triples if self.kind == "graph" else self.rows)

    def values(self) -> list[tuple[str, ...]]:
        """The rows as tuples of plain strings ('' when unbound), in column order."""
        return [tuple(str(row.get(c, "")) for c in self.columns) for row in self.rows]

    def term_set(self) -> set[tuple]:
        """The answer as a set, for order-independent comparison."""
        if self.kind == "ask":
            return {(self.boolean,)}
        if self.kind == "graph":
            return set(self.triples)
        return {tuple(row.get(c) for c in self.columns) for row in self.rows}

    def serialize(self, fmt: str = "table", wide: bool = False) -> str:
        """The result in ``fmt``: table (``wide``: one line per row), csv, tsv, json, xml; turtle or
        nt for graphs."""
        if self.kind == "graph":
            return self.to_ntriples() if fmt == "nt" else self.to_turtle()
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        writer = {
            "table": lambda: self.to_table(wide=wide),
            "csv": self.to_csv,
            "tsv": self.to_tsv,
            "xml": self.to_xml,
        }
        if fmt not in writer:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        text = writer[fmt]()
        return text if text.endswith("\n") else text + "\n"

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON (as a dict)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = [{k: v.to_json() for k, v in row.items() if v is not None} for row in self.rows]
        return {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if self.kind == "ask":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return out.getvalue()
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_csv_value(row.get(c)) for c in self.columns])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: terms in SPARQL syntax."""
        if self.kind == "ask":
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join("?" + c for c in self.columns)]
        for row in self.rows:
            lines.append("\t".join(_tsv_value(row.get(c)) for c in self.columns))
        return "\n".join(lines) + "\n"

    def to_xml(self) -> str:
        """SPARQL Query Results XML."""
        head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        if self.kind == "ask":
            return (
                head + f"  <head/>\n  <boolean>{'true' if self.boolean else 'false'}</boolean>\n</sparql>\n"
            )
        parts = [head, "  <head>\n"]
        parts += [f"    <variable name={quoteattr(c)}/>\n" for c in self.columns]
        parts.append("  </head>\n  <results>\n")
        for row in self.rows:
            parts.append("    <result>\n")
            for c in self.columns:
                if row.get(c) is not None:
                    parts.append(f"      <binding name={quoteattr(c)}>{_xml_term(row[c])}</binding>\n")
            parts.append("    </result>\n")
        parts.append("  </results>\n</sparql>\n")
        return "".join(parts)

    def to_table(self, width: int | None = None, wide: bool = False) -> str:
        """A text table for people, at most ``width`` characters wide (default: the terminal's).

        IRIs are shown as CURIEs and columns empty in every row are left out. Cells that do not
        fit wrap within their column, the widest columns giving way first; ``wide`` keeps every
        cell on one line, whatever the width.

        >>> r = QueryResult("select", ["a", "b"], [{"a": Term.literal("one two three four")}])
        >>> print(r.to_table(width=12))
        a
        ------------
        one two
        three four
        """
        if self.kind == "ask":
            return "true" if self.boolean else "false"
        columns = [
            c for c in self.columns if any(row.get(c) is not None for row in self.rows)
        ] or self.columns
        cells = [[_cell(row.get(c)) for c in columns] for row in self.rows]
        texts = [[c, *(r[i] for r in cells)] for i, c in enumerate(columns)]
        if wide:
            widths = [max(len(text) for text in column) for column in texts]
        else:
            total = width or shutil.get_terminal_size((100, 24)).columns
            widths = _fit(texts, total - 2 * (len(columns) - 1))
        lines = _rows(columns, widths)
        lines.append("  ".join("-" * w for w in widths))
        for row in cells:
            lines += _rows(row, widths)
        return "\n".join(lines)

    def to_dataframe(self):
        """The rows as a pandas ``DataFrame`` of plain values (None when unbound), one column per
        variable; CONSTRUCT/DESCRIBE give the columns subject, predicate and object. Needs pandas.

        >>> QueryResult("select", ["n"], [{"n": Term.literal(2)}]).to_dataframe()["n"].tolist()
        ['2']
        """
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "QueryResult.to_dataframe needs pandas, which is not installed: pip install pandas"
            ) from None
        if self.kind == "ask":
            return pandas.DataFrame({"boolean": [bool(self.boolean)]})
        columns, rows = self._plain()
        return pandas.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        """An HTML table of the answer (IRIs as CURIEs, every value escaped), as notebooks show it."""
        if self.kind == "ask":
            return f"<p>{'true' if self.boolean else 'false'}</p>"
        columns, rows = self._plain(curies=True)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v or '')}</td>" for v in row) + "</tr>" for row in rows
        )
        note = "<p>cut at the row limit</p>" if self.truncated else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"

    def _plain(self, curies: bool = False) -> tuple[list[str], list[list[str | None]]]:
        """The columns and the rows as plain strings (None when unbound), IRIs as CURIEs if asked."""

        def text(term: Term | None) -> str | None:
            if term is None:
                return None
            return curie(term.value) if curies and term.kind == "uri" else term.value

        if self.kind == "graph":
            return ["subject", "predicate", "object"], [[text(t) for t in triple] for triple in self.triples]
        return list(self.columns), [[text(row.get(c)) for c in self.columns] for row in self.rows]

    def to_ntriples(self) -> str:
        """CONSTRUCT/DESCRIBE triples as sorted N-Triples."""
        return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.triples))

    def to_turtle(self) -> str:
        """CONSTRUCT/DESCRIBE triples as Turtle."""
        import pyoxigraph as ox

        from .terms import to_oxigraph

        triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in sorted(self.triples)]
        return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES) or b"").decode("utf-8")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "literal" and term.datatype and term.datatype.endswith(("#integer", "#decimal")):
        return term.value
    return term.n3()


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.lang:
        return f"<literal xml:lang={quoteattr(term.lang)}>{escape(term.value)}</literal>"
    if term.datatype and term.datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _cell(term: Term | None) -> str:
    """A cell's text: a CURIE for an IRI, the value otherwise, on one line."""
    if term is None:
        return ""
    return " ".join((curie(term.value) if term.kind == "uri" else term.value).split())


def _fit(columns: list[list[str]], room: int) -> list[int]:
    """Column widths within ``room`` for the texts of each column (its header first).

    A column keeps its longest word whole where it can (up to 30 characters); the room left
    goes to the columns that want more, the widest giving way first.
    """
    natural = [max(len(text) for text in column) for column in columns]
    if sum(natural) <= room:
        return natural
    words = [
        min(30, max(len(word) for text in column for word in text.split() or [""])) for column in columns
    ]
    least = [min(n, max(w, 4)) for n, w in zip(natural, words, strict=True)]
    if sum(least) > room:  # even whole words do not fit: cut every column to one cap
        least = [4] * len(columns)
    cap = max(natural)
    while cap > 0 and sum(max(m, min(n, cap)) for m, n in zip(least, natural, strict=True)) > room:
        cap -= 1
    return [max(m, min(n, cap)) for m, n in zip(least, natural, strict=True)]


def _rows(values: list[str], widths: list[int]) -> list[str]:
    """The lines of one table row, each value wrapped within its column's width."""
    wrapped = [textwrap.wrap(v, w) or [""] for v, w in zip(values, widths, strict=True)]
    height = max(len(parts) for parts in wrapped)
    return [
        "  ".join(
            (parts[i] if i < len(parts) else "").ljust(w) for parts, w in zip(wrapped, widths, strict=True)
        ).rstrip()
        for i in range(height)
    ]
