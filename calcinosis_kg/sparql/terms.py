"""Engine-neutral RDF terms, so that results of pyoxigraph, rdflib and HTTP endpoints compare equal.

>>> t = Term.literal("calcinosis", lang="en")
>>> t.n3(), str(t)
('"calcinosis"@en', 'calcinosis')
>>> Term.iri("https://w3id.org/calcinosis-kg/ontology/Calcinosis").n3()
'<https://w3id.org/calcinosis-kg/ontology/Calcinosis>'
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["XSD_STRING", "Term", "from_oxigraph", "from_rdflib", "to_oxigraph", "to_rdflib"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class Term(NamedTuple):
    """An RDF term: ``kind`` is ``uri``, ``literal`` or ``bnode``; simple literals are xsd:string."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        """An IRI."""
        return cls("uri", value)

    @classmethod
    def literal(cls, value: Any, datatype: str | None = None, lang: str | None = None) -> Term:
        """A literal; without a language or a datatype it is an xsd:string."""
        if lang:
            return cls("literal", str(value), None, lang.lower())
        if datatype is None:
            datatype = _python_datatype(value)
        if isinstance(value, bool):
            value = str(value).lower()
        return cls("literal", str(value), datatype or XSD_STRING, None)

    def __str__(self) -> str:
        return self.value

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax, escaped."""
        if self.kind == "uri":
            return f"<{_escape_iri(self.value)}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + "".join(_ESCAPES.get(c, c) for c in self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{text}^^<{_escape_iri(self.datatype)}>"
        return text

    def to_json(self) -> dict[str, str]:
        """The term as in the SPARQL 1.1 JSON results format."""
        if self.kind == "literal":
            out = {"type": "literal", "value": self.value}
            if self.lang:
                out["xml:lang"] = self.lang
            elif self.datatype and self.datatype != XSD_STRING:
                out["datatype"] = self.datatype
            return out
        return {"type": self.kind, "value": self.value}

    def python(self) -> Any:
        """A plain Python value: int or float for numbers, else the string."""
        if self.kind == "literal" and self.datatype and self.datatype.startswith(XSD):
            local = self.datatype[len(XSD) :]
            try:
                if local in {"integer", "int", "long", "positiveInteger", "nonNegativeInteger"}:
                    return int(self.value)
                if local in {"decimal", "double", "float"}:
                    return float(self.value)
            except ValueError:
                return self.value
        return self.value


def _python_datatype(value: Any) -> str | None:
    if isinstance(value, bool):
        return XSD + "boolean"
    if isinstance(value, int):
        return XSD + "integer"
    if isinstance(value, float):
        return XSD + "double"
    return None


def _escape_iri(value: str) -> str:
    bad = '<>"{}|^`\\ '
    return "".join(f"\\u{ord(c):04X}" if c in bad or ord(c) < 0x21 else c for c in value)


def triple_terms(triple: Any) -> tuple[Term, Term, Term]:
    """The terms of a pyoxigraph triple."""
    found = (from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object))
    if None in found:
        raise ValueError(f"not a triple: {triple}")
    return found  # type: ignore[return-value]


def from_oxigraph(term: Any) -> Term | None:
    """Convert a pyoxigraph term (or None)."""
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term.iri(term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term.literal(term.value, lang=term.language)
        return Term.literal(term.value, term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Term) -> Any:
    """Convert to a pyoxigraph term."""
    import pyoxigraph as ox

    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def from_rdflib(term: Any) -> Term | None:
    """Convert an rdflib term (or None)."""
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return Term.iri(str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Term.literal(str(term), lang=term.language)
        return Term.literal(str(term), str(term.datatype) if term.datatype else XSD_STRING)
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib(term: Term) -> Any:
    """Convert to an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.lang:
        return Literal(term.value, lang=term.lang)
    if term.datatype in (None, XSD_STRING):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype))
